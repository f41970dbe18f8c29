// Who a signal is about: an account, or a signed-out browser's anonymous device id (the flick_device cookie).

/** The key real-time state and unique-viewer counts use: "u:<userId>" when signed in, else "d:<deviceId>". */
export function viewerKeyOf(viewer: { userId: string | null; deviceId: string | null }): string | null {
  if (viewer.userId) return `u:${viewer.userId}`;
  if (viewer.deviceId) return `d:${viewer.deviceId}`;
  return null;
}
