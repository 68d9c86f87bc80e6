// The operator console's landing page: the tenants list.
import { Navigate } from 'react-router';

export function Component() {
  return <Navigate to="/ops/tenants" replace />;
}
