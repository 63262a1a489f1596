// An AiProvider whose implementation can be replaced while the server runs (the admin tool's model
// defaults), so everything holding `runtime.provider` follows a change without a restart.
import type { AiProvider } from "../provider.ts";

export interface SwitchableProvider extends AiProvider {
  /** The provider calls go to from now on (calls already started finish where they began). */
  replace(next: AiProvider): void;
  readonly current: AiProvider;
}

export function createSwitchableProvider(initial: AiProvider): SwitchableProvider {
  let current = initial;
  return {
    get name() {
      return current.name;
    },
    get kind() {
      return current.kind;
    },
    get baseUrl() {
      return current.baseUrl;
    },
    get chatModel() {
      return current.chatModel;
    },
    get embeddingModel() {
      return current.embeddingModel;
    },
    get current() {
      return current;
    },
    replace(next) {
      current = next;
    },
    streamChat: (request) => current.streamChat(request),
    completeStructured: (request) => current.completeStructured(request),
    embed: (texts, options) => current.embed(texts, options),
  };
}
