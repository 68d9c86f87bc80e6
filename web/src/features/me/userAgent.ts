// A User-Agent header in a few words — "Chrome on Linux" — so a user can tell
// their sessions apart. Order matters: Edge and Opera also say "Chrome", and
// Chrome also says "Safari".

export interface Device {
  /** "Chrome", "Firefox", "curl" …; null when not recognised. */
  browser: string | null;
  /** "Windows", "macOS", "iOS", "Android", "Linux" …; null when not recognised. */
  os: string | null;
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\bYaBrowser\//, 'Yandex'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:HeadlessChrome|Chrome|CriOS)\//, 'Chrome'],
  [/\bChromium\//, 'Chromium'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bLine\//, 'LINE'],
  [/\bcurl\//i, 'curl'],
  [/\bWget\//i, 'Wget'],
  [/\bpython-requests\/|\bpython-httpx\/|\bPython-urllib\//i, 'Python'],
  [/\bPostmanRuntime\//, 'Postman'],
  [/\bokhttp\//i, 'OkHttp'],
  [/\bnode-fetch\/|\bundici\b|^node\b/i, 'Node.js'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bWindows\b/, 'Windows'],
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

export function summarizeUserAgent(ua: string | null | undefined): Device {
  if (!ua || !ua.trim()) return { browser: null, os: null };
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1] ?? null;
  const os = SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? null;
  if (browser || os) return { browser, os };
  // An unknown client: its first product token without the version ("MyApp").
  const product = ua.trim().match(/^([A-Za-z][\w.-]{0,30})\//)?.[1] ?? null;
  return { browser: product, os: null };
}
