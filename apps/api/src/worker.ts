// The background worker (reminders, follow-ups, waitlist offers) arrives with @gomomo/autonomy.
console.log('gomomo worker: not yet — @gomomo/autonomy will provide it');
