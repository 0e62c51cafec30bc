#include "service/http/web_assets.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/common/content_hash.h"

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

bool IsCompressible(absl::string_view content_type) {
  return absl::StartsWith(content_type, "text/") || content_type == "image/svg+xml" ||
         content_type == "application/json";
}

}  // namespace

WebAssets::Variant WebAssets::Compressed(std::string compressed, absl::string_view original,
                                         absl::string_view hash, absl::string_view suffix) {
  // Tiny files can grow; a failed library call gives "".
  if (compressed.empty() || compressed.size() >= original.size()) return {};
  return {std::move(compressed), absl::StrCat("\"", hash, "-", suffix, "\"")};
}

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
    file.identity.body = content.str();
    total += file.identity.body.size();
    if (total > kMaxTotalBytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("web assets under \"", directory, "\" exceed ",
                       kMaxTotalBytes, " bytes"));
    }
    file.content_type = std::string(ContentTypeFor(relative));
    const std::string hash = engine::ContentHashHex(
        engine::ExtendContentHash(engine::kContentHashSeed, file.identity.body));
    file.identity.etag = absl::StrCat("\"", hash, "\"");
    if (IsCompressible(file.content_type)) {
      file.gzip = Compressed(GzipCompress(file.identity.body), file.identity.body, hash, "gz");
      file.brotli = Compressed(BrotliCompress(file.identity.body), file.identity.body, hash, "br");
    }
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
  const ContentCoding coding =
      ChooseContentCoding(request.Header("accept-encoding"), !file.gzip.body.empty(),
                          !file.brotli.body.empty());
  const Variant& variant = coding == ContentCoding::kBrotli ? file.brotli
                           : coding == ContentCoding::kGzip ? file.gzip
                                                            : file.identity;
  response->SetHeader("ETag", variant.etag);
  response->SetHeader("Cache-Control", "no-cache");
  // Caches must key on the header the choice was made by.
  if (!file.gzip.body.empty() || !file.brotli.body.empty()) {
    response->SetHeader("Vary", "Accept-Encoding");
  }
  if (absl::StrContains(request.Header("if-none-match"), variant.etag)) {
    response->status = 304;
    return true;
  }
  response->status = 200;
  response->SetHeader("Content-Type", file.content_type);
  response->SetHeader("X-Content-Type-Options", "nosniff");
  if (coding != ContentCoding::kIdentity) {
    response->SetHeader("Content-Encoding", std::string(ContentCodingName(coding)));
  }
  // For HEAD too: the listener sends the head only, with this length.
  response->body = variant.body;
  return true;
}

}  // namespace backchat::http
