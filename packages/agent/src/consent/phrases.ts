// The words consent is decided on, English and Spanish. Every pattern runs on normalised text:
// lower case, accents folded ("está" → "esta"), one apostrophe, and a stressed "sí" already turned
// into "yes". The table in decide-consent.test.ts is the spec; change both together.

/** The irreversible actions a summary can ask about. */
export type ConsentAction = 'confirm' | 'reschedule' | 'cancel';

// Courtesies that contain a "no" or a "later" but decide nothing ("no problem, go ahead").
export const courtesies = /\b(no problem|not a problem|no worries|no hay problema|no pasa nada|see you (then|later|soon)|talk (to you )?(soon|later)|hasta luego|nos vemos)\b/g;

/** "I don't know", "no sé": a "no" inside that is doubt, not refusal. */
export const unsure =
  /\b(not sure|unsure|i don'?t know|i do not know|dunno|no idea|let me (think|check|see|ask)|not certain|no se|no lo se|no estoy segur[oa]|dejame (pensar|ver|consultar)|tengo que pensarlo)\b/;

/** Refusals and "leave it as it is", in any position: one of them anywhere makes the reply a no. */
export const negations = new RegExp(
  [
    String.raw`^n$`,
    String.raw`\b(no|nope|nah|naw|not|never|dont|didnt|doesnt|wont|cant|cannot|shouldnt|wouldnt)\b`,
    String.raw`n't\b`,
    String.raw`\b(keep (it|them|my|the|this|that)|i'?ll keep|leave (it|them|things|everything)|as it is|as is|rather not|prefer not|stop|cancel that|scratch that|forget (it|that|about it)|never ?mind|nevermind)\b`,
    String.raw`\b(nunca|tampoco|mejor no|dejal[oa]s?|dejel[oa]|como esta|asi esta bien|prefiero no|ni hablar|para nada|olvidal[oa]|mantenerl[oa]|l[oa] mantengo|me l[oa] quedo|quedarmel[oa]|todavia no|aun no|sin cambios)\b`,
  ].join('|'),
);

/** Hedges, conditions, second thoughts and new requests: not a no, not a yes either. */
export const hedges = new RegExp(
  [
    String.raw`\b(wait|hold on|hang on|one (sec|second|moment|minute)|actually|h?m{2,}|hmm+|u+m+|u+h+|e+r+m*|maybe|perhaps|probably|possibly|i think|i guess|i suppose|kind of|kinda|sort of)\b`,
    String.raw`\b(unless|only if|if|but|instead|rather|though|although|however|except|what about|how about|can (you|we|i)|could (you|we|i)|would (it|you)|another|different|other|earlier|later|check|look|find|search|show)\b`,
    String.raw`\b(think|thinking|consider|decide|sleep on it|ask|first|question)\b`,
    String.raw`\b(pienso|pensar|pensarlo|consulto|consultar|preguntar|primero|pregunta|espera|esperate|un momento|momento|un segundo|en realidad|la verdad|de hecho|pensandolo bien|quiza|quizas|tal vez|a lo mejor|puede ser|creo|supongo|pero|aunque|salvo|excepto|solo si|siempre (y cuando|que)|a menos que|en vez|en lugar|otr[oa]s?|mas tarde|mas temprano|que tal|y si|se puede|eh+)\b`,
  ].join('|'),
);

/** Words before a decision that carry none of their own ("please, yes", "oh ok"). */
export const fillers = /^(please|pls|plz|por favor|oh|ah|hi|hello|hola|thanks|thank you|gracias|well then|then)(?![a-z])/;

/** A yes, at the start of the reply (after fillers). */
export const affirmations =
  /^(yes|yeah|yea|yep|yup|ya|yah|y|yass?|sure|ok|okay|okey|oki|k|kk|alright|all right|right|correct|exactly|absolutely|definitely|certainly|of course|confirm(ed)?|i confirm|go ahead|go for it|do it|please do|sounds (good|great|perfect|fine|right)|that works|works for me|that'?s (right|correct|fine|perfect|great|good)|perfect|great|fine|good|cool|lovely|excellent|agreed|affirmative|👍|✅|si|claro|vale|dale|de acuerdo|perfecto|correcto|exacto|adelante|hazlo|confirmo|confirmado|por supuesto|desde luego|muy bien|esta bien|bueno|listo|genial|va|sale|andale|me parece bien|me sirve|me va bien)(?![a-z])/u;

/** A yes that restates the summary ("10am is perfect", "Monday works"), anywhere in the reply. */
export const restatedYes = /\b((is|are|sounds|looks|seems) (perfect|great|fine|good|ok|okay)|works( for me)?|(esta|es|me parece) (perfecto|bien)|me (sirve|va bien|viene bien))\b/;

/** The verbs of each action: "cancel it" says yes to "Shall I cancel it?" and to nothing else. */
export const actionVerbs: Record<ConsentAction, RegExp> = {
  confirm: /\b(book( it| that| me in)?|reserve( it)?|reservala|reservalo|reservar|reserva|agendala|agendalo)\b/,
  cancel: /\b(cancel( it| that one| my (appointment|booking))?|cancelala|cancelalo|cancela|cancelar|anulala|anulalo|anula)\b/,
  reschedule: /\b(move( it)?|reschedule( it)?|muevela|muevelo|mueve|cambiala|cambialo|change it)\b/,
};
