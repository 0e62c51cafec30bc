// Every string the widget shows that does not come from the dialog, in the
// dialog's languages. The server sends the dialog's own texts already
// translated; these are the widget's buttons, labels and messages.

export interface UiStrings {
  launcher: string;
  title: string;
  close: string;
  back: string;
  startOver: string;
  send: string;
  continueMulti: string;
  typeHere: string;
  typeHint: string;
  progress: (answered: number, total: number) => string;
  you: string;
  sending: string;
  offline: string;
  retry: string;
  expired: string;
  failed: string;
  levels: Record<"emergency" | "urgent" | "seeDoctor" | "selfCare", string>;
  why: string;
  whyAsking: string;
  technique: string;
  frequency: string;
  sessionLength: string;
  beforeSession: string;
  afterSession: string;
  selfMassage: string;
  watchFor: string;
  conversation: string;
  printSummary: string;
  summary: SummaryStrings;
}

/** The printable summary page's own strings. */
export interface SummaryStrings {
  title: string;
  intro: string;
  date: string;
  result: string;
  answers: string;
  dialog: string;
  print: string;
  gone: string;
}

const en: UiStrings = {
  launcher: "Back pain? Check if massage is right for you",
  title: "Back pain check",
  close: "Close",
  back: "Back",
  startOver: "Start over",
  send: "Send",
  continueMulti: "Continue",
  typeHere: "Type your answer",
  typeHint: "Choose an option, or type your answer in your own words.",
  progress: (answered, total) => `Question ${answered + 1} of at most ${total}`,
  you: "You",
  sending: "Sending…",
  offline: "We could not reach the triage service. Your answer is kept.",
  retry: "Try again",
  expired: "That conversation has expired, so we started a new one.",
  failed: "Something went wrong:",
  levels: {
    emergency: "Emergency",
    urgent: "Urgent: see a doctor today",
    seeDoctor: "See a doctor first",
    selfCare: "Massage can help",
  },
  why: "Why",
  whyAsking: "Why are we asking?",
  technique: "Technique",
  frequency: "How often",
  sessionLength: "Session length",
  beforeSession: "Before a session",
  afterSession: "After a session",
  selfMassage: "Self-massage at home",
  watchFor: "See a doctor if",
  conversation: "Conversation",
  printSummary: "Print or save for your doctor",
  summary: {
    title: "Back pain check: summary for your doctor",
    intro: "The answers given to BackChat's back pain questions and the advice they led to. This is guidance, not a diagnosis.",
    date: "Date",
    result: "Result",
    answers: "Answers",
    dialog: "Questions version",
    print: "Print or save as PDF",
    gone: "This summary is no longer available: the conversation has ended or expired.",
  },
};

const es: UiStrings = {
  launcher: "¿Dolor de espalda? Compruebe si el masaje le conviene",
  title: "Consulta de dolor de espalda",
  close: "Cerrar",
  back: "Atrás",
  startOver: "Empezar de nuevo",
  send: "Enviar",
  continueMulti: "Continuar",
  typeHere: "Escriba su respuesta",
  typeHint: "Elija una opción o escriba su respuesta con sus palabras.",
  progress: (answered, total) => `Pregunta ${answered + 1} de ${total} como máximo`,
  you: "Usted",
  sending: "Enviando…",
  offline: "No hemos podido conectar con el servicio. Su respuesta se conserva.",
  retry: "Reintentar",
  expired: "Esa conversación ha caducado; hemos empezado una nueva.",
  failed: "Algo ha fallado:",
  levels: {
    emergency: "Emergencia",
    urgent: "Urgente: vea a un médico hoy",
    seeDoctor: "Consulte antes a un médico",
    selfCare: "El masaje puede ayudarle",
  },
  why: "Motivos",
  whyAsking: "¿Por qué lo preguntamos?",
  technique: "Técnica",
  frequency: "Frecuencia",
  sessionLength: "Duración de la sesión",
  beforeSession: "Antes de la sesión",
  afterSession: "Después de la sesión",
  selfMassage: "Automasaje en casa",
  watchFor: "Consulte a un médico si",
  conversation: "Conversación",
  printSummary: "Imprimir o guardar para su médico",
  summary: {
    title: "Consulta de dolor de espalda: resumen para su médico",
    intro: "Las respuestas dadas a las preguntas de BackChat sobre el dolor de espalda y el consejo al que llevaron. Es una orientación, no un diagnóstico.",
    date: "Fecha",
    result: "Resultado",
    answers: "Respuestas",
    dialog: "Versión de las preguntas",
    print: "Imprimir o guardar como PDF",
    gone: "Este resumen ya no está disponible: la conversación ha terminado o ha caducado.",
  },
};

const byLanguage: Record<string, UiStrings> = { en, es };

/** The strings for a BCP-47 tag ("es-MX" uses "es"); English otherwise. */
export function stringsFor(locale: string): UiStrings {
  const language = locale.toLowerCase().split("-")[0];
  return byLanguage[language] ?? en;
}
