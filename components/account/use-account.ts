"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { apiFetch } from "@/components/api/fetch-json";
import type { SignInNotice } from "@/components/auth/sign-in-notices";

const post = <T>(url: string, body?: unknown) =>
  apiFetch<T>(url, { method: "POST", headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

/** Every session has ended (this one too): clear the cookie and say why on the sign-in page. */
const backToSignIn = (notice: SignInNotice) => signOut({ callbackUrl: `/signin?notice=${notice}` });

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => post("/api/v1/me/password", input),
    onSuccess: () => backToSignIn("password-changed"),
  });
}

export function useSignOutEverywhere() {
  return useMutation({
    mutationFn: () => post("/api/v1/me/sessions/revoke"),
    onSuccess: () => backToSignIn("signed-out-everywhere"),
  });
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: (input: { email: string }) => post<{ message: string }>("/api/v1/auth/password-reset", input) });
}

export function useResetPassword() {
  return useMutation({ mutationFn: (input: { token: string; password: string }) => post("/api/v1/auth/password-reset/confirm", input) });
}
