// Every page is a route module under routes/, loaded when first visited
// (route-level code splitting). A module exports `Component` (and may export
// `ErrorBoundary`, `loader`, …: React Router's lazy route API).
import { createBrowserRouter, type RouteObject } from 'react-router';
import { PageSpinner } from './components/Spinner';
import { RouteError } from './routes/error';
import { Root } from './routes/root';

export const routes: RouteObject[] = [
  {
    Component: Root,
    ErrorBoundary: RouteError,
    HydrateFallback: PageSpinner,
    children: [
      // Signed-in tenant pages, inside the shell (header, navigation, banners).
      {
        path: '/',
        lazy: () => import('./routes/shell'),
        children: [
          { index: true, lazy: () => import('./routes/home') },
          { path: 'projects', lazy: () => import('./routes/projects') },
          { path: 'projects/:id', lazy: () => import('./routes/projects-detail') },
          { path: 'labels', lazy: () => import('./routes/labels') },
          { path: 'notices', lazy: () => import('./routes/notices') },
          { path: 'notices/:id', lazy: () => import('./routes/notices-detail') },
          {
            path: 'me',
            lazy: () => import('./routes/me'),
            children: [
              { index: true, lazy: () => import('./routes/me/profile') },
              { path: 'password', lazy: () => import('./routes/me/password') },
              { path: 'access-log', lazy: () => import('./routes/me/access-log') },
              { path: 'sessions', lazy: () => import('./routes/me/sessions') },
            ],
          },
        ],
      },
      // Signed-out pages.
      { path: '/sign-in', lazy: () => import('./routes/sign-in') },
      { path: '/sign-up', lazy: () => import('./routes/sign-up') },
      { path: '/change-password', lazy: () => import('./routes/change-password') },
      // Operators: a separate shell and session.
      { path: '/ops/sign-in', lazy: () => import('./routes/ops/sign-in') },
      {
        path: '/ops',
        lazy: () => import('./routes/ops/shell'),
        children: [{ index: true, lazy: () => import('./routes/ops/console') }],
      },
      { path: '*', lazy: () => import('./routes/not-found') },
    ],
  },
];

export function makeRouter() {
  return createBrowserRouter(routes);
}
