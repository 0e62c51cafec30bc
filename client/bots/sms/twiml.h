// The reply to a Twilio SMS webhook: TwiML, one <Message> per SMS.
#ifndef BACKCHAT_CLIENT_BOTS_SMS_TWIML_H_
#define BACKCHAT_CLIENT_BOTS_SMS_TWIML_H_

#include <string>
#include <vector>

namespace backchat::sms {

// <?xml ...?><Response><Message>...</Message>...</Response>, the texts
// XML-escaped. No messages gives an empty <Response/> (Twilio sends nothing).
std::string TwimlReply(const std::vector<std::string>& messages);

}  // namespace backchat::sms

#endif  // BACKCHAT_CLIENT_BOTS_SMS_TWIML_H_
