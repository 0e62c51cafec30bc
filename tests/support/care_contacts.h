// Care contacts for tests (text format, as a --care_contacts file holds):
// English with every contact, Spanish with every contact in other
// numbers, and no default entry.
#ifndef BACKCHAT_TESTS_SUPPORT_CARE_CONTACTS_H_
#define BACKCHAT_TESTS_SUPPORT_CARE_CONTACTS_H_

namespace backchat::testing {

inline constexpr char kTestCareContacts[] = R"(
contacts {
  locale: "en"
  emergency_number: "999"
  urgent_line: "111"
  clinic_phone: "+44 20 7946 0000"
  booking_url: "https://clinic.example/book"
}
contacts {
  locale: "es"
  emergency_number: "112"
  urgent_line: "061"
  clinic_phone: "+34 910-000-000"
  booking_url: "https://clinic.example/es/reservar"
}
)";

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_SUPPORT_CARE_CONTACTS_H_
