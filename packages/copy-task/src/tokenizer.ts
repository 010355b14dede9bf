/**
 * Character tokenizer of the copy task: ids 0..V-1 are the vocabulary symbols in
 * order, id V is the induction token. Every symbol is one character (one Unicode code
 * point), so `encode` maps each character of a string to one id.
 */
import { CopyTaskError } from './errors';
import {
  DEFAULT_INDUCTION_TOKEN,
  DEFAULT_VOCABULARY,
  checkInductionToken,
  checkVocabulary,
} from './options';

/** Maps symbols to ids and back. */
export interface Tokenizer {
  /** vocabulary.length + 1 (27 by default). */
  readonly vocabSize: number;
  /** Every symbol by id: the vocabulary, then the induction token. */
  readonly symbols: readonly string[];
  /** Id of the induction token (= vocabulary.length, 26 by default). */
  readonly inductionId: number;
  /** The induction token ('&' by default). */
  readonly inductionToken: string;
  /** One id per character of `text`. Throws CopyTaskError on a character outside `symbols`. */
  encode(text: string): Int32Array;
  /** The characters of `ids` joined. Throws CopyTaskError on an id outside 0..vocabSize-1. */
  decode(ids: ArrayLike<number>): string;
}

/**
 * Creates the tokenizer for a vocabulary (default 'a'..'z') and induction token
 * (default '&', id = vocabulary.length).
 * @throws CopyTaskError for duplicate, empty or multi-character symbols, or an
 * induction token inside the vocabulary.
 */
export function createTokenizer(
  vocabulary: readonly string[] = DEFAULT_VOCABULARY,
  inductionToken: string = DEFAULT_INDUCTION_TOKEN,
): Tokenizer {
  const vocab = checkVocabulary('vocabulary', vocabulary);
  const induction = checkInductionToken('inductionToken', inductionToken, vocab);
  const symbols: readonly string[] = Object.freeze([...vocab, induction]);
  const ids = new Map<string, number>(symbols.map((s, i) => [s, i]));
  const vocabSize = symbols.length;
  const allowedSymbols =
    vocabSize <= 40 ? `one of ${JSON.stringify(symbols.join(''))}` : `one of the ${vocabSize} tokenizer symbols`;

  return {
    vocabSize,
    symbols,
    inductionId: vocab.length,
    inductionToken: induction,
    encode(text: string): Int32Array {
      if (typeof text !== 'string') throw new CopyTaskError('text', text, 'a string');
      const chars = Array.from(text);
      const out = new Int32Array(chars.length);
      chars.forEach((ch, i) => {
        const id = ids.get(ch);
        if (id === undefined) {
          throw new CopyTaskError('text', text, `only known symbols, but character ${i} is ${JSON.stringify(ch)}, not ${allowedSymbols}`);
        }
        out[i] = id;
      });
      return out;
    },
    decode(tokenIds: ArrayLike<number>): string {
      if (tokenIds === null || typeof tokenIds !== 'object' || typeof tokenIds.length !== 'number') {
        throw new CopyTaskError('ids', tokenIds, 'an array or typed array of token ids');
      }
      let out = '';
      for (let i = 0; i < tokenIds.length; i++) {
        const id = tokenIds[i];
        if (!(Number.isInteger(id) && id >= 0 && id < vocabSize)) {
          throw new CopyTaskError(`ids[${i}]`, id, `a token id in 0..${vocabSize - 1}`);
        }
        out += symbols[id];
      }
      return out;
    },
  };
}
