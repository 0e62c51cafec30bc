// --port_file: how a process started with port 0 tells others (tests,
// scripts) the port it was given.
#ifndef BACKCHAT_SERVICE_COMMON_PORT_FILE_H_
#define BACKCHAT_SERVICE_COMMON_PORT_FILE_H_

#include <fstream>
#include <string>

namespace backchat {

// Writes `port` and a newline to `path` (nothing when `path` is empty);
// false on failure.
inline bool WritePortFile(const std::string& path, int port) {
  if (path.empty()) return true;
  std::ofstream out(path);
  out << port << "\n";
  return static_cast<bool>(out);
}

}  // namespace backchat

#endif  // BACKCHAT_SERVICE_COMMON_PORT_FILE_H_
