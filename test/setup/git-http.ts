// The server lives in scripts/services so the demo (plain JavaScript) runs the same one.
export {
  startGitServer,
  type GitServer,
  type LogEntry,
  type RecordedRequest,
} from '../../scripts/services/git-http.mjs';
