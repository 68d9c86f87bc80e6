// Small line icons for notice kinds and severities. Always shown beside their
// text label (never alone), so kinds and severities differ without colour.
import type { Notice } from '../../api/queries';

type Kind = Notice['kind'];
type Severity = Notice['severity'];

function Svg({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <svg
      className={['icon', className].filter(Boolean).join(' ')}
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {children}
    </svg>
  );
}

export function KindIcon({ kind }: { kind: Kind }) {
  switch (kind) {
    case 'maintenance': // a wrench
      return (
        <Svg>
          <path d="M10.5 2.2a3.3 3.3 0 0 0-3.9 4.4L2.3 10.9a1.2 1.2 0 0 0 1.7 1.7l4.3-4.3a3.3 3.3 0 0 0 4.4-3.9l-2 2-1.8-.4-.4-1.8z" />
        </Svg>
      );
    case 'vulnerability': // a shield
      return (
        <Svg>
          <path d="M8 1.8 3 3.6v4c0 3 2.1 5.4 5 6.6 2.9-1.2 5-3.6 5-6.6v-4z" />
          <path d="M8 5.2v3.2M8 10.6v.2" />
        </Svg>
      );
    case 'incident': // a lightning bolt
      return (
        <Svg>
          <path d="M9 1.5 3.5 9H8l-1 5.5L12.5 7H8z" />
        </Svg>
      );
    case 'release': // a gift tag / sparkle
      return (
        <Svg>
          <path d="M8 1.8v3M8 11.2v3M1.8 8h3M11.2 8h3M3.6 3.6l2 2M10.4 10.4l2 2M3.6 12.4l2-2M10.4 5.6l2-2" />
        </Svg>
      );
    default:
      return (
        <Svg>
          <circle cx="8" cy="8" r="5.5" />
        </Svg>
      );
  }
}

export function SeverityIcon({ severity }: { severity: Severity }) {
  switch (severity) {
    case 'critical': // an octagon with "!"
      return (
        <Svg>
          <path d="M5.3 1.8h5.4l3.5 3.5v5.4l-3.5 3.5H5.3l-3.5-3.5V5.3z" />
          <path d="M8 4.8v3.8M8 11v.2" />
        </Svg>
      );
    case 'warning': // a triangle with "!"
      return (
        <Svg>
          <path d="M8 1.8 14.6 13.6H1.4z" />
          <path d="M8 6v3.6M8 11.6v.2" />
        </Svg>
      );
    default: // a circle with "i"
      return (
        <Svg>
          <circle cx="8" cy="8" r="6.2" />
          <path d="M8 7.2v4M8 4.8v.2" />
        </Svg>
      );
  }
}
