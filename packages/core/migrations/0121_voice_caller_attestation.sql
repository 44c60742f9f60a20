-- @gomomo/channels, voice: what the carrier vouched for the caller ID. Twilio's signed initial voice
-- webhook carries `StirVerstat` (STIR/SHAKEN: TN-Validation-Passed-A, -B, -C, TN-Validation-Failed-*,
-- No-TN-Validation; absent when the call came without a PASSporT). Only full attestation (A) makes the
-- caller ID proof of who is calling; it is stored once, from that webhook, so later turns (the
-- <Gather> webhooks, the relay socket's unsigned `setup`) read it from here and cannot raise it.
-- Calls recorded before this column have none: not vouched for.
ALTER TABLE voice_calls ADD COLUMN caller_attestation text CHECK (length(caller_attestation) BETWEEN 1 AND 64);
