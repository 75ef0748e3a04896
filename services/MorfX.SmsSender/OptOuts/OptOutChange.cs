namespace MorfX.SmsSender.OptOuts;

public enum OptOutChange { None, OptOut, OptIn }
