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
          { path: 'projects/:id/evaluation', lazy: () => import('./routes/projects-evaluation') },
          { path: 'labels', lazy: () => import('./routes/labels') },
          { path: 'notices', lazy: () => import('./routes/notices') },
          { path: 'support', lazy: () => import('./routes/support') },
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
          {
            path: 'admin',
            lazy: () => import('./routes/admin'),
            children: [
              { path: 'users', lazy: () => import('./routes/admin/users') },
              { path: 'users/:id', lazy: () => import('./routes/admin/users-detail') },
              { path: 'roles', lazy: () => import('./routes/admin/roles') },
              { path: 'roles/:id', lazy: () => import('./routes/admin/roles-detail') },
              { path: 'access-log', lazy: () => import('./routes/admin/access-log') },
              { path: 'settings', lazy: () => import('./routes/admin/settings') },
              { path: 'security-contacts', lazy: () => import('./routes/admin/security-contacts') },
              { path: 'exports', lazy: () => import('./routes/admin/exports') },
              { path: 'termination', lazy: () => import('./routes/admin/termination') },
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
        children: [
          { index: true, lazy: () => import('./routes/ops/console') },
          { path: 'tenants', lazy: () => import('./routes/ops/tenants') },
          { path: 'notices', lazy: () => import('./routes/ops/notices') },
          { path: 'notices/new', lazy: () => import('./routes/ops/notices-new') },
          { path: 'notices/:id', lazy: () => import('./routes/ops/notices-detail') },
          { path: 'audit', lazy: () => import('./routes/ops/audit') },
        ],
      },
      { path: '*', lazy: () => import('./routes/not-found') },
    ],
  },
];

export function makeRouter() {
  return createBrowserRouter(routes);
}
