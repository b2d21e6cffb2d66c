package dev.tamperwatch.job.backtest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out file splits in order of path, then offset, whatever host asks: with one reader, files
 * are read one after the other in name order, so that a replay of a directory is repeatable.
 */
public final class SortedSplitAssigner implements FileSplitAssigner {

    private static final Comparator<FileSourceSplit> ORDER =
            Comparator.comparing((FileSourceSplit s) -> s.path().toString())
                    .thenComparingLong(FileSourceSplit::offset)
                    .thenComparing(FileSourceSplit::splitId);

    private final TreeSet<FileSourceSplit> splits = new TreeSet<>(ORDER);

    public SortedSplitAssigner(Collection<FileSourceSplit> splits) {
        this.splits.addAll(splits);
    }

    /** The provider for {@code FileSource.setSplitAssigner}. */
    public static Provider provider() {
        return SortedSplitAssigner::new;
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(splits.pollFirst());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> newSplits) {
        splits.addAll(newSplits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        List<FileSourceSplit> remaining = new ArrayList<>(splits);
        return remaining;
    }
}
