namespace PluggableFlows.Engine.Rules;

/// <summary>
/// The shipped English obscenity list (<c>Rules/Data/obscene-words.txt</c>), loaded once. Matching is by whole word,
/// ignoring case, so place names that merely contain a listed word ("Scunthorpe", "Essex") are not obscene.
/// </summary>
internal static class ObsceneWords
{
    private static readonly HashSet<string> Words = Load();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Words.GetAlternateLookup<ReadOnlySpan<char>>();

    public static int Count => Words.Count;

    /// <summary>True when any word of <paramref name="text"/> (a run of letters, digits or apostrophes) is listed.</summary>
    public static bool AnyIn(ReadOnlySpan<char> text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '\'');
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                if (Lookup.Contains(text[start..i].Trim('\'')))
                {
                    return true;
                }

                start = -1;
            }
        }

        return false;
    }

    private static HashSet<string> Load()
    {
        using var stream = typeof(ObsceneWords).Assembly.GetManifestResourceStream("PluggableFlows.Engine.Rules.Data.obscene-words.txt")
            ?? throw new InvalidOperationException("The obscene-words.txt resource is missing from the engine assembly.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            var word = line.Trim();
            if (word.Length > 0 && !word.StartsWith('#'))
            {
                words.Add(word);
            }
        }

        return words;
    }
}
