// Types for wink-sentiment, which ships none: only the parts sentiment.ts reads.
declare module "wink-sentiment" {
  interface WinkSentimentToken {
    value: string;
    tag: string;
    score?: number;
    negation?: boolean;
  }
  interface WinkSentimentResult {
    /** Sum of the AFINN scores of the sentiment-bearing words, emojis and emoticons. */
    score: number;
    /** `score` divided by the number of sentiment-bearing tokens (0 when there are none). */
    normalizedScore: number;
    tokenizedPhrase: WinkSentimentToken[];
  }
  function sentiment(phrase: string): WinkSentimentResult;
  export default sentiment;
}
