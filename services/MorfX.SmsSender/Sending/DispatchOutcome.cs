namespace MorfX.SmsSender.Sending;

public enum DispatchOutcome { Sent, AlreadySent, AlreadyFailed, NotConfigured, Rejected, Unreachable, Skipped }
