// Why the sign-in page was opened after a session ended (/signin?notice=…).
export const signInNotices = {
  "password-changed": "Your password is changed and every session of your account has ended. Sign in with the new password.",
  "password-reset": "Your new password is set and every session of your account has ended. Sign in with it.",
  "signed-out-everywhere": "You are signed out on every device.",
} as const;

export type SignInNotice = keyof typeof signInNotices;

export const signInNotice = (notice: string | undefined) => (notice && Object.hasOwn(signInNotices, notice) ? signInNotices[notice as SignInNotice] : undefined);
