namespace MorfX.AutomationEngine.Catalog;

/// <summary>
/// The writer a template renders into: it refuses to grow past the output limit or to keep going past the time budget,
/// so a template that would produce megabytes stops at the first character over the limit. The budget is the rendering
/// thread's CPU time (<see cref="RenderClock"/>), not the time it spent waiting for a core.
/// </summary>
sealed class BoundedWriter(int maxLength, TimeSpan budget) : StringWriter
{
    readonly long _deadline = RenderClock.NowMs() + (long)budget.TotalMilliseconds;
    int _length;
    int _writes;

    void Grow(int count)
    {
        _length += count;
        if (_length > maxLength)
            throw new TemplateException(TemplateBounds.Codes.TemplateOutputTooLong,
                Texts.TemplateOutputTooLong(maxLength));
        // The clock is a system call: read it on the first write and every 32nd after.
        if (_writes++ % 32 == 0 && RenderClock.NowMs() > _deadline)
            throw new TemplateException(TemplateBounds.Codes.TemplateTooSlow,
                Texts.TemplateTooSlow(budget));
    }

    public override void Write(char value) { Grow(1); base.Write(value); }

    public override void Write(string? value) { Grow(value?.Length ?? 0); base.Write(value); }

    public override void Write(char[] buffer, int index, int count) { Grow(count); base.Write(buffer, index, count); }

    public override void Write(ReadOnlySpan<char> buffer) { Grow(buffer.Length); base.Write(buffer); }
}
