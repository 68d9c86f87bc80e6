//! Every problem code the API answers with: one list, stable names.

use serde::Serialize;
use utoipa::ToSchema;

/// Declares [`ErrorCode`] with each variant's wire name.
macro_rules! error_codes {
    ($($variant:ident = $name:literal,)*) => {
        /// Stable, machine-readable problem codes: clients switch on these, so
        /// a value once published keeps its meaning.
        // The names are the variants in snake_case (a test holds them to it).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }
        }
    };
}

error_codes! {
    ValidationFailed = "validation_failed",
    NotFound = "not_found",
    MethodNotAllowed = "method_not_allowed",
    PreconditionFailed = "precondition_failed",
    PayloadTooLarge = "payload_too_large",
    RangeNotSatisfiable = "range_not_satisfiable",
    UnsupportedMediaType = "unsupported_media_type",
    RateLimited = "rate_limited",
    ServiceUnavailable = "service_unavailable",
    InternalError = "internal_error",
    Conflict = "conflict",
    ReferenceChanged = "reference_changed",
    MalformedJson = "malformed_json",
    InvalidBody = "invalid_body",
    InvalidPath = "invalid_path",
    BadRequest = "bad_request",
    InvalidMultipart = "invalid_multipart",
    FileRequired = "file_required",
    UploadInterrupted = "upload_interrupted",
    BodyTimeout = "body_timeout",
    MissingToken = "missing_token",
    InvalidToken = "invalid_token",
    TokenExpired = "token_expired",
    CsrfRejected = "csrf_rejected",
    SessionExpired = "session_expired",
    InvalidCredentials = "invalid_credentials",
    TemporaryPasswordExpired = "temporary_password_expired",
    InvalidCode = "invalid_code",
    CodeExpired = "code_expired",
    CodeUsed = "code_used",
    CodeLocked = "code_locked",
    RefreshTokenReused = "refresh_token_reused",
    PermissionDenied = "permission_denied",
    ScopeEscalation = "scope_escalation",
    PasswordChangeRequired = "password_change_required",
    PhoneRequired = "phone_required",
    PhoneNotAllowed = "phone_not_allowed",
    EmailTaken = "email_taken",
    UserLimitReached = "user_limit_reached",
    TenantSlugTaken = "tenant_slug_taken",
    LabelCodeTaken = "label_code_taken",
    LabelInUse = "label_in_use",
    RoleNameTaken = "role_name_taken",
    BuiltinRole = "builtin_role",
    LastAdministrator = "last_administrator",
    CannotDeleteSelf = "cannot_delete_self",
    CannotDisableSelf = "cannot_disable_self",
    CannotResetSelf = "cannot_reset_self",
    NotCancellable = "not_cancellable",
    NoticeClosed = "notice_closed",
    NoUpdates = "no_updates",
    MaintenanceNoticeTooShort = "maintenance_notice_too_short",
    ChangeNoticeTooShort = "change_notice_too_short",
    EmergencyReasonRequired = "emergency_reason_required",
    ExportRunning = "export_running",
    ExportNotReady = "export_not_ready",
    ExportExpired = "export_expired",
    EvaluationNotReady = "evaluation_not_ready",
    TenantSuspended = "tenant_suspended",
    TenantNotActive = "tenant_not_active",
    TenantNotSuspended = "tenant_not_suspended",
    TerminationRequested = "termination_requested",
    NoTerminationRequest = "no_termination_request",
}
