// Configuration from three places, for every BackChat program: a config
// file (abseil's --flagfile: one --name=value per line), environment
// variables (BACKCHAT_<NAME>, e.g. BACKCHAT_HTTP_PORT=8080 for
// --http_port), and the command line. The command line wins over the
// environment, which wins over the file.
#ifndef BACKCHAT_SERVICE_COMMON_FLAG_SOURCES_H_
#define BACKCHAT_SERVICE_COMMON_FLAG_SOURCES_H_

#include <string>
#include <vector>

namespace backchat {

// The arguments to parse instead of argv: argv[0], any --flagfile
// arguments, then a --name=value for each BACKCHAT_<NAME> variable naming
// one of the program's flags, then the rest of argv. Call with every flag
// defined (any time in main). Secrets belong in files, not in variables.
std::vector<std::string> ArgumentsWithEnvironment(int argc, char** argv,
                                                  const std::string& prefix = "BACKCHAT_");

}  // namespace backchat

#endif  // BACKCHAT_SERVICE_COMMON_FLAG_SOURCES_H_
