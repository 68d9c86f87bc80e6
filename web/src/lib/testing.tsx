// Component-test helpers: a page rendered with a fresh query client (no
// retries), and the English catalogue for a test file (Japanese restored
// after each test, with the fetch stubs undone).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, vi } from 'vitest';
import i18next from '../i18n';

export function renderWithClient(node: ReactNode) {
  return render(<QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{node}</QueryClientProvider>);
}

/** English during each test; then the stubs undone and Japanese back. */
export function inEnglish() {
  beforeEach(async () => {
    await i18next.changeLanguage('en');
  });
  afterEach(async () => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    await i18next.changeLanguage('ja');
  });
}
