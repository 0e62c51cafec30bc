// The files the HTTP listener serves as they are: the widget bundle
// (widget.js) and the example clinic page. Read once at start, so a request
// never touches the disk and a half-written file is never served.
#ifndef BACKCHAT_SERVICE_HTTP_WEB_ASSETS_H_
#define BACKCHAT_SERVICE_HTTP_WEB_ASSETS_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/http/content_coding.h"
#include "service/common/http/http_message.h"

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
  // If-None-Match matches, or false when no such file exists. Text files go
  // out compressed (br, else gzip) when the request's Accept-Encoding takes
  // it, with Vary: Accept-Encoding and an ETag per coding.
  bool Serve(const HttpRequest& request, HttpResponse* response) const;

 private:
  // One way to send a file: as it is, or compressed.
  struct Variant {
    std::string body;  // "" when not offered (binary, or no smaller)
    std::string etag;
  };
  struct File {
    std::string content_type;
    Variant identity, gzip, brotli;
  };
  static Variant Compressed(std::string compressed, absl::string_view original,
                            absl::string_view hash, absl::string_view suffix);
  absl::flat_hash_map<std::string, File> files_;
};

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_WEB_ASSETS_H_
