import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { session } from './auth';
import './i18n';
import { queryClient } from './lib/query';
import { makeRouter } from './router';
import './styles/base.css';
import './styles/components.css';
import './styles/layout.css';

// On load, the refresh cookie (if any) tells whether a session goes on.
void session.bootstrap();
// A session that ends drops every cached answer: the next user sees none of it.
session.subscribe(() => {
  if (session.getSnapshot().status === 'signed-out') queryClient.clear();
});

// Timers of a background tab run late: catch up when it is shown again.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') session.refreshIfDue();
});

const router = makeRouter();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  );
}
