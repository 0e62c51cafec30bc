#include "service/http/web_assets.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/engine/content_hash.h"

namespace backchat::http {
namespace {

constexpr size_t kMaxTotalBytes = 8 << 20;

absl::string_view ContentTypeFor(absl::string_view path) {
  if (absl::EndsWith(path, ".js")) return "text/javascript; charset=utf-8";
  if (absl::EndsWith(path, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(path, ".css")) return "text/css; charset=utf-8";
  if (absl::EndsWith(path, ".svg")) return "image/svg+xml";
  if (absl::EndsWith(path, ".png")) return "image/png";
  if (absl::EndsWith(path, ".json")) return "application/json";
  return "application/octet-stream";
}

}  // namespace

absl::StatusOr<WebAssets> WebAssets::Load(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    return absl::NotFoundError(
        absl::StrCat("web assets folder \"", directory, "\" does not exist"));
  }
  WebAssets assets;
  size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(directory, error);
       !error && it != fs::recursive_directory_iterator();
       it.increment(error)) {
    if (!it->is_regular_file()) continue;
    const std::string relative =
        "/" + fs::relative(it->path(), directory).generic_string();
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in) {
      return absl::UnavailableError(
          absl::StrCat("cannot read ", it->path().string()));
    }
    File file;
    file.body = content.str();
    total += file.body.size();
    if (total > kMaxTotalBytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("web assets under \"", directory, "\" exceed ",
                       kMaxTotalBytes, " bytes"));
    }
    file.content_type = std::string(ContentTypeFor(relative));
    file.etag = absl::StrCat("\"",
                             engine::ContentHashHex(engine::ExtendContentHash(
                                 engine::kContentHashSeed, file.body)),
                             "\"");
    if (absl::EndsWith(relative, "/index.html")) {
      assets.files_[relative.substr(0, relative.size() - 10)] = file;
    }
    assets.files_[relative] = std::move(file);
  }
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot list \"", directory, "\": ", error.message()));
  }
  return assets;
}

bool WebAssets::Serve(const HttpRequest& request,
                      HttpResponse* response) const {
  const auto it = files_.find(request.path);
  if (it == files_.end()) {
    // "/example" is the folder "/example/": send the browser there, so
    // the page's relative links resolve.
    if (files_.contains(request.path + "/")) {
      *response = PlainTextResponse(301, "moved to " + request.path + "/");
      response->SetHeader("Location", request.path + "/");
      return true;
    }
    return false;
  }
  const File& file = it->second;
  response->SetHeader("ETag", file.etag);
  response->SetHeader("Cache-Control", "no-cache");
  if (request.Header("if-none-match") == file.etag) {
    response->status = 304;
    return true;
  }
  response->status = 200;
  response->SetHeader("Content-Type", file.content_type);
  response->SetHeader("X-Content-Type-Options", "nosniff");
  if (request.method != "HEAD") response->body = file.body;
  return true;
}

}  // namespace backchat::http
