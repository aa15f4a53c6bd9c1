/** `aa:bb:cc:dd:ee:ff` lower case, from colon, dash or bare forms; null when not a MAC. */
export function normaliseMac(text: string): string | null {
  const hex = text.trim().toLowerCase().replace(/[:-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return null;
  return hex.match(/../g)?.join(':') ?? null;
}
