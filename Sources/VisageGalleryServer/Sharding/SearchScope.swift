import VisageGallery

/// Which templates a service instance searches when it identifies: the whole gallery, one shard of it (an instance
/// behind a coordinator, answering `POST /search`), or none itself (the coordinator, which asks the shard instances
/// and merges their top-k lists).
public enum SearchScope: Sendable {
    case whole
    case shard(TemplateShard)
    case coordinator(ShardInstances)

    /// The shard this instance serves, if it serves one.
    var shard: TemplateShard? {
        if case .shard(let shard) = self { shard } else { nil }
    }
}
