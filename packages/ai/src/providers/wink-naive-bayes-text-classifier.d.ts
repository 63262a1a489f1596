// Types for wink-naive-bayes-text-classifier, which ships none: only the parts the coach's classifier calls.
declare module "wink-naive-bayes-text-classifier" {
  interface NaiveBayesTextClassifier {
    defineConfig(config: { considerOnlyPresence?: boolean; smoothingFactor?: number }): boolean;
    /** With no preparatory tasks defined, the input is the list of tokens itself. */
    learn(tokens: string[], label: string): boolean;
    consolidate(): boolean;
    /** Each label with the log2 odds of the input being of it rather than of any other, highest first; [["unknown", 0]] when no token is known. */
    computeOdds(tokens: string[]): [string, number][];
    predict(tokens: string[]): string;
  }
  function naiveBayesTextClassifier(): NaiveBayesTextClassifier;
  export default naiveBayesTextClassifier;
}
