import type { InputHTMLAttributes } from "react";
import { Field } from "@/components/ui/field";
import { MIN_PASSWORD_LENGTH } from "@/lib/accounts/schemas";

/** A password being chosen (sign-up, change, reset): the minimum as a hint, the browser's new-password autofill. */
export function NewPasswordField({ label, name, error, note, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; error?: string; note?: string }) {
  return (
    <Field
      label={label}
      name={name}
      type="password"
      autoComplete="new-password"
      required
      minLength={MIN_PASSWORD_LENGTH}
      hint={`At least ${MIN_PASSWORD_LENGTH} characters.${note ? ` ${note}` : ""}`}
      error={error}
      {...input}
    />
  );
}
