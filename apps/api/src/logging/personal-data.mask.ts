/**
 * Last line of defence for log text: what looks like a PRC national id (17 digits and a check
 * character) or a mainland mobile number is masked wherever it appears in a string. Structured
 * fields are removed by path (see logger.options.ts); this catches values interpolated into
 * messages.
 */
const NATIONAL_ID = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g;

export function maskPersonalData(text: string): string {
  return text.replace(NATIONAL_ID, '[national-id]').replace(MOBILE, '[phone]');
}

export function looksLikePersonalData(text: string): boolean {
  return maskPersonalData(text) !== text;
}
