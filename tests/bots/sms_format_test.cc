// The SMS bridge's formats: Twilio's signature, form bodies, TwiML.
#include "client/bots/sms/twilio_signature.h"
#include "client/bots/sms/twiml.h"
#include "client/chat/secrets.h"
#include "service/common/http/form_urlencoded.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backchat::sms {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// The example in Twilio's security documentation.
const http::FormFields& TwilioExampleFields() {
  static const auto* fields = new http::FormFields{
      {"CallSid", "CA1234567890ABCDE"}, {"Caller", "+12349013030"}, {"Digits", "1234"},
      {"From", "+12349013030"},         {"To", "+18005551212"},
  };
  return *fields;
}
constexpr char kExampleUrl[] = "https://mycompany.com/myapp.php?foo=1&bar=2";

TEST(TwilioSignatureTest, MatchesTwilioDocumentedExample) {
  EXPECT_EQ(TwilioSignature("12345", kExampleUrl, TwilioExampleFields()),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

TEST(TwilioSignatureTest, FieldOrderDoesNotMatter) {
  http::FormFields reversed(TwilioExampleFields().rbegin(), TwilioExampleFields().rend());
  EXPECT_TRUE(TwilioSignatureValid("12345", kExampleUrl, reversed, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

TEST(TwilioSignatureTest, AnythingChangedIsRefused) {
  const std::string good = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
  EXPECT_FALSE(TwilioSignatureValid("12346", kExampleUrl, TwilioExampleFields(), good));
  EXPECT_FALSE(TwilioSignatureValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=3",
                                    TwilioExampleFields(), good));
  http::FormFields changed = TwilioExampleFields();
  changed[3].second = "+10000000000";
  EXPECT_FALSE(TwilioSignatureValid("12345", kExampleUrl, changed, good));
  changed = TwilioExampleFields();
  changed.emplace_back("Body", "extra");
  EXPECT_FALSE(TwilioSignatureValid("12345", kExampleUrl, changed, good));
  EXPECT_FALSE(TwilioSignatureValid("12345", kExampleUrl, TwilioExampleFields(), ""));
  EXPECT_FALSE(TwilioSignatureValid("12345", kExampleUrl, TwilioExampleFields(), good + "x"));
}

TEST(FormUrlencodedTest, DecodesPlusAndPercent) {
  auto fields = http::ParseFormUrlencoded("Body=Hola%2C+atr%C3%A1s&From=%2B34600&&flag&empty=");
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_THAT(*fields, ElementsAre(Pair("Body", "Hola, atrás"), Pair("From", "+34600"),
                                   Pair("flag", ""), Pair("empty", "")));
  EXPECT_EQ(http::FormValue(*fields, "From"), "+34600");
  EXPECT_EQ(http::FormValue(*fields, "Missing"), "");
}

TEST(FormUrlencodedTest, BadEscapesSayWhere) {
  for (const char* body : {"Body=50%", "Body=%4", "Body=%zz", "a=1&B%g1=2"}) {
    auto fields = http::ParseFormUrlencoded(body);
    ASSERT_FALSE(fields.ok()) << body;
    EXPECT_THAT(fields.status().message(), HasSubstr("byte ")) << body;
  }
  EXPECT_THAT(http::ParseFormUrlencoded("a=1&B=%zz").status().message(), HasSubstr("byte 6"));
}

TEST(TwimlTest, EscapesTextAndOneMessagePerSms) {
  EXPECT_EQ(TwimlReply({"1 < 2 & \"3\" > 'x'", "second"}),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Message>1 &lt; 2 &amp; "
            "&quot;3&quot; &gt; &apos;x&apos;</Message><Message>second</Message></Response>\n");
  EXPECT_EQ(TwimlReply({}), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response/>\n");
  EXPECT_THAT(TwimlReply({std::string("a\x01") + "b"}), HasSubstr("<Message>a b</Message>"));
}

TEST(SecretsTest, KeyedHashIsStableKeyedAndHidesTheValue) {
  const std::string hash = chat::KeyedHash("key-one-0123456789", "+15550001111");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash, chat::KeyedHash("key-one-0123456789", "+15550001111"));
  EXPECT_NE(hash, chat::KeyedHash("key-two-0123456789", "+15550001111"));
  EXPECT_NE(hash, chat::KeyedHash("key-one-0123456789", "+15550001112"));
  EXPECT_EQ(hash.find("5550001111"), std::string::npos);
  EXPECT_TRUE(chat::ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(chat::ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(chat::ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace backchat::sms
