import { type MediaEngine, renderHoldMusic } from '@telekommune/media';
import type { HoldMusicPlayer } from '@telekommune/pbx';

/**
 * Music on hold from the voice runtime's media engine: each held party gets
 * an endpoint that loops the built-in music (rendered once, encoded once per
 * codec and shared by every endpoint playing it) until the call resumes.
 */
export function holdMusicPlayers(engine: MediaEngine): () => Promise<HoldMusicPlayer> {
  let music: Int16Array | undefined;
  return async () => {
    music ??= renderHoldMusic();
    const samples = music;
    const endpoint = await engine.createEndpoint();
    return {
      answer: (offer) => {
        const result = endpoint.answer(offer);
        if (!result.ok) return undefined;
        void (async () => {
          while (!endpoint.isClosed) {
            const played = await endpoint.play([{ kind: 'pcm', samples }], { interruptible: false });
            if (played.reason !== 'finished') return;
          }
        })();
        return result.answer;
      },
      close: () => endpoint.close(),
    };
  };
}
