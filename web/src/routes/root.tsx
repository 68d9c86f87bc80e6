import { Outlet } from 'react-router';

/** The outermost route: every page renders inside it. */
export function Root() {
  return <Outlet />;
}
