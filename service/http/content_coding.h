// Compressed copies of static files (gzip with zlib, br with Brotli), and
// the choice among them from a request's Accept-Encoding (RFC 9110 12.5.3).
#ifndef BACKCHAT_SERVICE_HTTP_CONTENT_CODING_H_
#define BACKCHAT_SERVICE_HTTP_CONTENT_CODING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace backchat::http {

enum class ContentCoding { kIdentity, kGzip, kBrotli };

// The token for Content-Encoding ("gzip", "br"); "" for identity.
absl::string_view ContentCodingName(ContentCoding coding);

// `data` compressed; "" if the library failed (then serve it as it is).
std::string GzipCompress(absl::string_view data);
std::string BrotliCompress(absl::string_view data);

// The best coding the client accepts among those on offer: br before gzip
// before identity, a coding with q=0 never. An absent header means
// identity (a client that says nothing may not decode anything).
ContentCoding ChooseContentCoding(absl::string_view accept_encoding, bool gzip_offered,
                                  bool brotli_offered);

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_CONTENT_CODING_H_
