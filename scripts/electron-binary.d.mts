/** The path of the Electron executable, or null when it is not installed (never downloads it). */
export function electronBinary(): string | null;
