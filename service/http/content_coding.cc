#include "service/http/content_coding.h"

#include <brotli/encode.h>
#include <zlib.h>

#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace backchat::http {
namespace {

// Brotli's quality 11 takes about a second for the widget at every start;
// 9 is within a few percent of it in a fraction of the time.
constexpr int kBrotliQuality = 9;

// Whether `accept_encoding` accepts `coding` (by name or "*") with q > 0.
bool Accepts(absl::string_view accept_encoding, absl::string_view coding) {
  bool named = false, named_ok = false, star_ok = false;
  for (absl::string_view item : absl::StrSplit(accept_encoding, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const absl::string_view token = absl::StripAsciiWhitespace(parts[0]);
    double q = 1;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view parameter = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&parameter, "q=") || absl::ConsumePrefix(&parameter, "Q=")) {
        if (!absl::SimpleAtod(parameter, &q)) q = 0;  // unreadable: not a yes
      }
    }
    if (absl::EqualsIgnoreCase(token, coding)) {
      named = true;
      named_ok = q > 0;
    } else if (token == "*") {
      star_ok = q > 0;
    }
  }
  return named ? named_ok : star_ok;
}

}  // namespace

absl::string_view ContentCodingName(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::kGzip:
      return "gzip";
    case ContentCoding::kBrotli:
      return "br";
    case ContentCoding::kIdentity:
      break;
  }
  return "";
}

std::string GzipCompress(absl::string_view data) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return "";
  }
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return result == Z_STREAM_END ? out : "";
}

std::string BrotliCompress(absl::string_view data) {
  size_t size = BrotliEncoderMaxCompressedSize(data.size());
  if (size == 0) return "";
  std::string out(size, '\0');
  if (!BrotliEncoderCompress(kBrotliQuality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT,
                             data.size(), reinterpret_cast<const uint8_t*>(data.data()), &size,
                             reinterpret_cast<uint8_t*>(out.data()))) {
    return "";
  }
  out.resize(size);
  return out;
}

ContentCoding ChooseContentCoding(absl::string_view accept_encoding, bool gzip_offered,
                                  bool brotli_offered) {
  if (brotli_offered && Accepts(accept_encoding, "br")) return ContentCoding::kBrotli;
  if (gzip_offered && Accepts(accept_encoding, "gzip")) return ContentCoding::kGzip;
  return ContentCoding::kIdentity;
}

}  // namespace backchat::http
