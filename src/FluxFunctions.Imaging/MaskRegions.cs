namespace FluxFunctions.Imaging;

/// <summary>
/// Finds the separate masked regions of a mask: the bounding boxes of its 8-connected groups of non-zero pixels.
/// Runs of non-zero pixels are labelled row by row and joined with a union–find, so the cost is one pass over the
/// mask's bounding box and memory grows with the number of runs, not of pixels.
/// </summary>
internal static class MaskRegions
{
    /// <summary>The bounding box of every region, ordered by top edge, then left edge.</summary>
    public static IReadOnlyList<PixelRect> Find(GrayImage mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (MaskShaper.BoundingBox(mask) is not { } box)
        {
            return [];
        }

        var runs = new List<Run>();
        var parent = new List<int>();
        var previous = (Start: 0, End: 0);
        for (var y = box.Y; y < box.Bottom; y++)
        {
            var row = mask.Row(y)[..box.Right];
            var rowStart = runs.Count;
            var x = box.X;
            while (x < box.Right)
            {
                var offset = row[x..].IndexOfAnyExcept((byte)0);
                if (offset < 0)
                {
                    break;
                }

                var start = x + offset;
                var length = row[start..].IndexOf((byte)0);
                var end = length < 0 ? box.Right : start + length;
                var label = runs.Count;
                runs.Add(new Run(y, start, end));
                parent.Add(label);

                // 8-connected: a run of the row above touches this one when it reaches one pixel past either end.
                for (var r = previous.Start; r < previous.End; r++)
                {
                    var above = runs[r];
                    if (above.Start <= end && above.End >= start)
                    {
                        Join(parent, label, r);
                    }
                }

                x = end;
            }

            previous = (rowStart, runs.Count);
        }

        var boxes = new Dictionary<int, PixelRect>();
        for (var i = 0; i < runs.Count; i++)
        {
            var root = Root(parent, i);
            var run = runs[i];
            var rect = new PixelRect(run.Start, run.Y, run.End - run.Start, 1);
            boxes[root] = boxes.TryGetValue(root, out var known) ? known.Union(rect) : rect;
        }

        return boxes.Values.OrderBy(b => b.Y).ThenBy(b => b.X).ToList();
    }

    private static int Root(List<int> parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }

    private static void Join(List<int> parent, int a, int b)
    {
        int ra = Root(parent, a), rb = Root(parent, b);
        if (ra != rb)
        {
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }

    /// <summary>Non-zero pixels [Start, End) of row Y.</summary>
    private readonly record struct Run(int Y, int Start, int End);
}
