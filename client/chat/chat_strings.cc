#include "client/chat/chat_strings.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace backchat::chat {
namespace {

// Plain ASCII punctuation where it reads as well: an SMS body with a
// character outside the GSM 7-bit alphabet costs more than twice as many
// segments. Spanish needs its accents, and the dialog's texts have them.
constexpr ChatStrings kEnglish = {
    "en",
    "Question $0 of at most $1",
    "Reply with a number, or in your own words.",
    "Reply with one or more numbers (e.g. 1 3), or in your own words.",
    "Tap an option, or reply with a number or in your own words.",
    "Tap every option that applies, then Done. Or reply with numbers (e.g. 1 "
    "3).",
    "Done",
    "EMERGENCY",
    "URGENT: see a doctor today",
    "SEE A DOCTOR FIRST",
    "MASSAGE CAN HELP",
    "Why",
    "Technique",
    "How often",
    "Session length",
    "Before a session",
    "After a session",
    "Self-massage at home",
    "See a doctor if",
    "Send \"start\" to begin a new check.",
    "This is a back pain check: it asks a few questions and tells you whether "
    "massage is right for you, or whether to see a doctor first.\n"
    "Answer with an option's number, or in your own words.\n"
    "Commands:\n"
    "start - begin a new check\n"
    "restart - start this check again\n"
    "back - change your last answer\n"
    "why - why we ask the question\n"
    "stop - end the check and forget it\n"
    "help - this message",
    "Sorry, the back pain check is not reachable right now. Please try again "
    "in "
    "a moment.",
    "Stopped. Your answers are no longer linked to this chat. Send \"start\" "
    "to begin again.",
    "There is no check in progress. Send \"start\" to begin one.",
    "There is no check in progress. Send \"start\" to begin one.",
    "That conversation had expired, so a new one has started.",
    "Sorry, I do not know that command.",
    "That message is too long. Please answer in a few words.",
    "Sorry, I can only read text messages.",
    "That question has already been answered.",
    "Sorry, I do not recognise that button.",
    "Choose at least one option first.",
    "Reply yes or no. Or type your answer again, or reply with option numbers.",
    "Tap Yes or No. Or type your answer again.",
    "If that is wrong, send \"back\".",
    "This question has no explanation yet; any answer you are unsure of, "
    "choose the one that might apply.",
    "May we check on you in $0 days to ask how your back is? Reply yes or no.",
    {"Yes", "No"},
    "Thank you. We will ask how you are in $0 days. Send \"stop\" to cancel.",
    "All right, we will not check on you. Send \"start\" whenever you want a new check.",
    "How is your back now?",
    {"Better", "The same", "Worse", "New symptoms"},
    "Reply with a number.",
    "Thank you. See a doctor, or send \"start\" for a new check, if you notice any of "
    "these: numbness, tingling or weakness in your legs; numbness around your genitals "
    "or buttocks; new problems passing urine or controlling your bladder or bowel; "
    "fever or chills; pain that is much worse at night or keeps getting worse.",
    "Let us check again, starting with the most important questions.",
};

constexpr ChatStrings kSpanish = {
    "es",
    "Pregunta $0 de $1 como máximo",
    "Responda con un número o con sus palabras.",
    "Responda con uno o varios números (p. ej. 1 3) o con sus palabras.",
    "Toque una opción, o responda con un número o con sus palabras.",
    "Toque todas las opciónes que correspondan y luego Listo. O responda con "
    "números (p. ej. 1 3).",
    "Listo",
    "EMERGENCIA",
    "URGENTE: vea a un médico hoy",
    "CONSULTE ANTES A UN MEDICO",
    "EL MASAJE PUEDE AYUDARLE",
    "Motivos",
    "Técnica",
    "Frecuencia",
    "Duración de la sesión",
    "Antes de la sesión",
    "Después de la sesión",
    "Automasaje en casa",
    "Consulte a un médico si",
    "Envíe \"empezar\" para hacer una nueva consulta.",
    "Esta es una consulta de dolor de espalda: le hace unas preguntas y le "
    "dice si el masaje le conviene o si debe ver antes a un médico.\n"
    "Responda con el número de una opción o con sus palabras.\n"
    "Comandos:\n"
    "empezar - nueva consulta\n"
    "reiniciar - empezar esta consulta de nuevo\n"
    "atrás - cambiar su última respuesta\n"
    "por qué - por qué hacemos la pregunta\n"
    "parar - terminar la consulta y olvidarla\n"
    "ayuda - este mensaje",
    "Lo sentimos, la consulta no está disponible ahora mismo. Vuelva a "
    "intentarlo en un momento.",
    "Consulta terminada. Sus respuestas ya no están vinculadas a este chat. "
    "Envíe \"empezar\" para empezar de nuevo.",
    "No hay ninguna consulta en curso. Envíe \"empezar\" para empezar una.",
    "No hay ninguna consulta en curso. Envíe \"empezar\" para empezar una.",
    "Esa conversación había caducado; hemos empezado una nueva.",
    "Lo sentimos, no conozco ese comando.",
    "Ese mensaje es demasiado largo. Responda con pocas palabras.",
    "Lo sentimos, solo puedo leer mensajes de texto.",
    "Esa pregunta ya está respondida.",
    "Lo sentimos, no reconozco ese botón.",
    "Elija antes al menos una opción.",
    "Responda sí o no. O escriba su respuesta de nuevo, o responda con los "
    "números de las opciones.",
    "Toque Sí o No. O escriba su respuesta de nuevo.",
    "Si no es así, envíe \"atrás\".",
    "Esta pregunta aún no tiene explicación; si duda, elija la respuesta "
    "que podría ser su caso.",
    "¿Podemos escribirle dentro de $0 días para preguntarle por su espalda? "
    "Responda sí o no.",
    {"Sí", "No"},
    "Gracias. Le preguntaremos cómo está dentro de $0 días. Envíe \"parar\" para "
    "cancelarlo.",
    "De acuerdo, no le escribiremos. Envíe \"empezar\" cuando quiera una nueva consulta.",
    "¿Cómo está su espalda ahora?",
    {"Mejor", "Igual", "Peor", "Síntomas nuevos"},
    "Responda con un número.",
    "Gracias. Consulte a un médico, o envíe \"empezar\" para una nueva consulta, si nota "
    "algo de esto: entumecimiento, hormigueo o debilidad en las piernas; entumecimiento "
    "en los genitales o las nalgas; problemas nuevos para orinar o para controlar la "
    "vejiga o el intestino; fiebre o escalofríos; dolor mucho peor por la noche o que "
    "no deja de empeorar.",
    "Volvamos a revisarlo, empezando por las preguntas más importantes.",
};

}  // namespace

const ChatStrings& StringsFor(absl::string_view locale) {
  const std::string lower = absl::AsciiStrToLower(locale);
  if (lower == "es" || absl::StartsWith(lower, "es-") ||
      absl::StartsWith(lower, "es_")) {
    return kSpanish;
  }
  return kEnglish;
}

const char* LevelHeading(const ChatStrings& strings, triage::v1::Level level) {
  switch (level) {
    case triage::v1::LEVEL_EMERGENCY:
      return strings.level_emergency;
    case triage::v1::LEVEL_URGENT:
      return strings.level_urgent;
    case triage::v1::LEVEL_SEE_DOCTOR:
      return strings.level_see_doctor;
    case triage::v1::LEVEL_SELF_CARE:
      return strings.level_self_care;
    default:
      // An unknown level is shown as the most urgent: safety first.
      return strings.level_emergency;
  }
}

}  // namespace backchat::chat
