// The files the HTTP listener serves as they are: the widget bundle
// (widget.js) and the example clinic page. Read once at start, so a request
// never touches the disk and a half-written file is never served.
#ifndef BACKCHAT_SERVICE_HTTP_WEB_ASSETS_H_
#define BACKCHAT_SERVICE_HTTP_WEB_ASSETS_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/http/http_message.h"

namespace backchat::http {

class WebAssets {
 public:
  // Every regular file under `directory` (recursively, at most 8 MiB in
  // all), served at its path relative to it ("/widget.js",
  // "/example/index.html"; a folder's index.html also answers for the folder
  // with a trailing slash). NOT_FOUND if `directory` does not exist.
  static absl::StatusOr<WebAssets> Load(const std::string& directory);

  WebAssets() = default;

  size_t size() const { return files_.size(); }

  // Answers a GET or HEAD for `request.path`: 200 with the file (ETag,
  // Cache-Control: no-cache so a new widget is picked up at once), 304 when
  // If-None-Match matches, or false when no such file exists.
  bool Serve(const HttpRequest& request, HttpResponse* response) const;

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string etag;
  };
  absl::flat_hash_map<std::string, File> files_;
};

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_WEB_ASSETS_H_
