/** The sentence to show for a failed request or action (ApiError carries the server's problem detail). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
