"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { resendVerificationAction, verifyEmailAction } from "@/app/(auth)/verify-email/actions";
import { unwrapAction } from "@/components/api/fetch-json";
import { balanceQueryKey } from "@/components/layout/balance-badge";

/** Uses the mailed token; the header's balance and banner then show the starting credit. */
export function useVerifyEmail() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: (token: string) => unwrapAction(verifyEmailAction({ token })),
    onSuccess: async () => {
      router.refresh();
      await queryClient.invalidateQueries({ queryKey: balanceQueryKey });
    },
  });
}

export function useResendVerification() {
  return useMutation({ mutationFn: () => unwrapAction(resendVerificationAction()) });
}
