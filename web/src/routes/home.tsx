import { Navigate } from 'react-router';

/** `/` opens the notices, the post-login screen. */
export function Component() {
  return <Navigate to="/notices" replace />;
}
