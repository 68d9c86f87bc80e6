import { useState } from 'react';

/** Copies text to the clipboard; `copied` is true after success, false after
 * a refusal (no permission, insecure context), null before any attempt. */
export function useCopy(): { copied: boolean | null; copy: (text: string) => Promise<void> } {
  const [copied, setCopied] = useState<boolean | null>(null);
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return { copied, copy };
}
