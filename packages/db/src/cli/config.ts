// The configuration every db console command loads first, so a bad variable stops it before anything is opened.
import { ConfigError, loadConfig, type TConfig } from "@lockstep/config";

/** The loaded config, or undefined after printing which variables are wrong (and `usage`, when given). */
export function loadCliConfig(usage?: string): TConfig | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(usage ? `${error.message}\n${usage}` : error.message);
    return undefined;
  }
}
