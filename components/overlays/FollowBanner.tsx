'use client';
// Following a live session: why it could not start, the presenter stepping away, the end.
import { useFollow } from '../follow/follow';

export function FollowBanner() {
  const role = useFollow((s) => s.role);
  const presenter = useFollow((s) => s.presenter);
  const error = useFollow((s) => s.error);
  const joined = useFollow((s) => s.joined);
  if (role !== 'follower') return null;
  if (error || presenter === 'ended') {
    return (
      <div className="banner error" role="alert" data-testid="follow-ended">
        {error && !joined ? error : 'The presenter stopped sharing: this is the last thing they showed.'}
        <a className="btn small" href="/">
          Back to my playground
        </a>
      </div>
    );
  }
  if (presenter === 'away') {
    return (
      <div className="banner warn" role="status" data-testid="follow-away">
        <span className="spinner" aria-hidden />
        The presenter is away: the live session goes on when they come back…
      </div>
    );
  }
  return null;
}
