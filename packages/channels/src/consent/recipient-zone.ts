// Country calling codes of countries with one civil time zone (IANA tzdb zone1970.tab). A number
// from one of these tells us the recipient's local time for sure; a number from a country with
// several zones (+1, +7, +52, +55, +61, …) does not, and we fall back to the tenant's zone. The
// longest prefix wins, so "+353" is Ireland and not "+35".
const singleZoneCountries: Record<string, string> = {
  '+30': 'Europe/Athens',
  '+31': 'Europe/Amsterdam',
  '+32': 'Europe/Brussels',
  '+33': 'Europe/Paris',
  '+36': 'Europe/Budapest',
  '+39': 'Europe/Rome',
  '+40': 'Europe/Bucharest',
  '+41': 'Europe/Zurich',
  '+43': 'Europe/Vienna',
  '+44': 'Europe/London',
  '+45': 'Europe/Copenhagen',
  '+46': 'Europe/Stockholm',
  '+47': 'Europe/Oslo',
  '+48': 'Europe/Warsaw',
  '+49': 'Europe/Berlin',
  '+81': 'Asia/Tokyo',
  '+82': 'Asia/Seoul',
  '+65': 'Asia/Singapore',
  '+66': 'Asia/Bangkok',
  '+91': 'Asia/Kolkata',
  '+27': 'Africa/Johannesburg',
  '+353': 'Europe/Dublin',
  '+354': 'Atlantic/Reykjavik',
  '+358': 'Europe/Helsinki',
  '+420': 'Europe/Prague',
  '+852': 'Asia/Hong_Kong',
  '+972': 'Asia/Jerusalem',
  '+971': 'Asia/Dubai',
};

const prefixes = Object.keys(singleZoneCountries).sort((a, b) => b.length - a.length);

export interface RecipientTimeZoneInput {
  /** The recipient's E.164 number. */
  phone: string;
  /** The tenant's IANA zone, used whenever the number does not settle the question. */
  tenantTimeZone: string;
}

/**
 * The zone whose clock quiet hours follow for this recipient: the tenant's zone, unless the number
 * belongs to a single-zone country (a London mobile texting a New York clinic is asleep on London
 * time). Numbers from multi-zone countries, and numbers in the tenant's own country, keep the
 * tenant's zone: customers of a local business are usually local.
 */
export function recipientTimeZone(input: RecipientTimeZoneInput): string {
  const prefix = prefixes.find((candidate) => input.phone.startsWith(candidate));
  return prefix ? singleZoneCountries[prefix]! : input.tenantTimeZone;
}
