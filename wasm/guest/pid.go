package guest

// Pid is the calling process's WASIX pid in its sandbox (1 for the first
// process of the container or of an exec session), or 0 outside podplay.
// Requests carry it as "wpid" so that podplay knows which process asks.
var Pid = func() int { return 0 }
