#include "service/records/outcome_count_stores.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "service/common/sqlite/sqlite_statement.h"
#include "service/records/record_stores.h"

namespace backchat::records {

int32_t DayOf(absl::Time time) {
  return static_cast<int32_t>(absl::ToUnixSeconds(time) / 86400 -
                              (absl::ToUnixSeconds(time) % 86400 < 0 ? 1 : 0));
}

// ----------------------------------------------------------------- memory

absl::Status MemoryOutcomeCounts::Add(const std::vector<Count>& deltas) {
  absl::MutexLock lock(&mu_);
  for (const Count& delta : deltas) {
    int64_t& value = counts_[delta.key];
    value += delta.value;
    if (value == 0) counts_.erase(delta.key);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Count>> MemoryOutcomeCounts::Read(int32_t first_day,
                                                             int32_t last_day) {
  absl::MutexLock lock(&mu_);
  std::vector<Count> out;
  for (const auto& [key, value] : counts_) {
    if (key.day >= first_day && key.day <= last_day) out.push_back({key, value});
  }
  return out;
}

absl::StatusOr<int64_t> MemoryOutcomeCounts::DeleteDaysBefore(int32_t day) {
  absl::MutexLock lock(&mu_);
  const size_t was = counts_.size();
  absl::erase_if(counts_, [day](const auto& entry) { return entry.first.day < day; });
  return static_cast<int64_t>(was - counts_.size());
}

// ----------------------------------------------------------------- SQLite

absl::StatusOr<std::unique_ptr<SqliteOutcomeCounts>> SqliteOutcomeCounts::Open(
    const std::string& path, bool synchronous_full) {
  auto database = store::SqliteDatabase::Shared(path, synchronous_full);
  if (!database.ok()) return database.status();
  std::unique_ptr<SqliteOutcomeCounts> counts(new SqliteOutcomeCounts(*std::move(database)));
  absl::MutexLock lock(&counts->database_->mutex());
  if (absl::Status created = store::ExecSql(
          *counts->database_,
          "CREATE TABLE IF NOT EXISTS outcome_counts (day INTEGER NOT NULL, "
          "dialog_id TEXT NOT NULL, dialog_version TEXT NOT NULL, channel INTEGER NOT NULL, "
          "language TEXT NOT NULL, name TEXT NOT NULL, item TEXT NOT NULL, "
          "count INTEGER NOT NULL, PRIMARY KEY (day, dialog_id, dialog_version, channel, "
          "language, name, item)) WITHOUT ROWID;");
      !created.ok()) {
    return absl::UnavailableError(
        absl::StrCat("dashboard counts: cannot open the outcome_counts table: ",
                     created.message()));
  }
  return counts;
}

absl::Status SqliteOutcomeCounts::Add(const std::vector<Count>& deltas) {
  store::SqliteDatabase& db = *database_;
  absl::MutexLock lock(&db.mutex());
  if (absl::Status begun = store::ExecSql(db, "BEGIN"); !begun.ok()) return begun;
  for (const Count& delta : deltas) {
    const CountKey& key = delta.key;
    store::SqliteStatement upsert(
        db,
        "INSERT INTO outcome_counts (day, dialog_id, dialog_version, channel, language, "
        "name, item, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO UPDATE "
        "SET count = count + excluded.count");
    upsert.Bind(1, key.day).Bind(2, key.dialog_id).Bind(3, key.dialog_version);
    upsert.Bind(4, key.channel).Bind(5, key.language).Bind(6, key.name).Bind(7, key.item);
    upsert.Bind(8, delta.value);
    if (absl::Status added = upsert.Run(); !added.ok()) {
      store::ExecSql(db, "ROLLBACK").IgnoreError();
      return absl::UnavailableError(
          absl::StrCat("dashboard counts: cannot add a count: ", added.message()));
    }
  }
  return store::ExecSql(db, "COMMIT");
}

absl::StatusOr<std::vector<Count>> SqliteOutcomeCounts::Read(int32_t first_day,
                                                             int32_t last_day) {
  absl::MutexLock lock(&database_->mutex());
  store::SqliteStatement select(
      *database_,
      "SELECT day, dialog_id, dialog_version, channel, language, name, item, count "
      "FROM outcome_counts WHERE day BETWEEN ?1 AND ?2 AND count != 0");
  select.Bind(1, first_day).Bind(2, last_day);
  std::vector<Count> out;
  while (true) {
    absl::StatusOr<bool> row = select.Step();
    if (!row.ok()) {
      return absl::UnavailableError(
          absl::StrCat("dashboard counts: cannot read: ", row.status().message()));
    }
    if (!*row) return out;
    Count count;
    count.key.day = static_cast<int32_t>(select.ColumnInt(0));
    count.key.dialog_id = select.ColumnText(1);
    count.key.dialog_version = select.ColumnText(2);
    count.key.channel = static_cast<int32_t>(select.ColumnInt(3));
    count.key.language = select.ColumnText(4);
    count.key.name = select.ColumnText(5);
    count.key.item = select.ColumnText(6);
    count.value = select.ColumnInt(7);
    out.push_back(std::move(count));
  }
}

absl::StatusOr<int64_t> SqliteOutcomeCounts::DeleteDaysBefore(int32_t day) {
  absl::MutexLock lock(&database_->mutex());
  store::SqliteStatement count(*database_, "SELECT COUNT(*) FROM outcome_counts WHERE day < ?1");
  count.Bind(1, day);
  absl::StatusOr<bool> row = count.Step();
  const int64_t going = row.ok() && *row ? count.ColumnInt(0) : 0;
  store::SqliteStatement remove(*database_, "DELETE FROM outcome_counts WHERE day < ?1");
  remove.Bind(1, day);
  if (absl::Status removed = remove.Run(); !removed.ok()) {
    return absl::UnavailableError(
        absl::StrCat("dashboard counts: cannot delete old days: ", removed.message()));
  }
  return going;
}

// ------------------------------------------------------------------ Redis

namespace {

constexpr char kSeparator = '\x1f';

std::string FieldOf(const CountKey& key) {
  return absl::StrJoin({absl::string_view(key.dialog_id), absl::string_view(key.dialog_version),
                        absl::string_view(absl::StrCat(key.channel)),
                        absl::string_view(key.language), absl::string_view(key.name),
                        absl::string_view(key.item)},
                       std::string(1, kSeparator));
}

bool ParseField(int32_t day, absl::string_view field, CountKey* key) {
  const std::vector<std::string> parts = absl::StrSplit(field, kSeparator);
  if (parts.size() != 6 || !absl::SimpleAtoi(parts[2], &key->channel)) return false;
  key->day = day;
  key->dialog_id = parts[0];
  key->dialog_version = parts[1];
  key->language = parts[3];
  key->name = parts[4];
  key->item = parts[5];
  return true;
}

absl::Status Unavailable(const absl::Status& status) {
  return absl::UnavailableError(absl::StrCat("dashboard counts: ", status.message()));
}

}  // namespace

absl::Status RedisOutcomeCounts::Add(const std::vector<Count>& deltas) {
  if (deltas.empty()) return absl::OkStatus();
  // One script, so that the deltas apply all or none, and a day's hash and
  // its entry in KEY:days appear together.
  static const store::RedisScript* const kAdd = new store::RedisScript(
      "for i = 1, #ARGV, 3 do "
      "local day = KEYS[1] .. ':' .. ARGV[i] "
      "if redis.call('HINCRBY', day, ARGV[i + 1], ARGV[i + 2]) == 0 then "
      "redis.call('HDEL', day, ARGV[i + 1]) end "
      "redis.call('ZADD', KEYS[1] .. ':days', ARGV[i], ARGV[i]) end return 1");
  std::vector<std::string> args;
  args.reserve(deltas.size() * 3);
  for (const Count& delta : deltas) {
    args.push_back(absl::StrCat(delta.key.day));
    args.push_back(FieldOf(delta.key));
    args.push_back(absl::StrCat(delta.value));
  }
  auto reply = redis_.Eval(*kAdd, key_, args);
  if (!reply.ok()) return Unavailable(reply.status());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Count>> RedisOutcomeCounts::Read(int32_t first_day,
                                                            int32_t last_day) {
  auto days = redis_.Command({"ZRANGEBYSCORE", absl::StrCat(key_, ":days"),
                              absl::StrCat(first_day), absl::StrCat(last_day)});
  if (!days.ok()) return Unavailable(days.status());
  std::vector<Count> out;
  for (size_t d = 0; d < (*days)->elements; ++d) {
    const std::string day_text((*days)->element[d]->str, (*days)->element[d]->len);
    int32_t day = 0;
    if (!absl::SimpleAtoi(day_text, &day)) continue;
    auto fields = redis_.Command({"HGETALL", absl::StrCat(key_, ":", day_text)});
    if (!fields.ok()) return Unavailable(fields.status());
    for (size_t i = 0; i + 1 < (*fields)->elements; i += 2) {
      Count count;
      const redisReply* field = (*fields)->element[i];
      const redisReply* value = (*fields)->element[i + 1];
      if (!ParseField(day, absl::string_view(field->str, field->len), &count.key) ||
          !absl::SimpleAtoi(absl::string_view(value->str, value->len), &count.value)) {
        continue;  // Not ours: written by something else into our keys.
      }
      out.push_back(std::move(count));
    }
  }
  return out;
}

absl::StatusOr<int64_t> RedisOutcomeCounts::DeleteDaysBefore(int32_t day) {
  static const store::RedisScript* const kDelete = new store::RedisScript(
      "local days = redis.call('ZRANGEBYSCORE', KEYS[1] .. ':days', '-inf', '(' .. ARGV[1]) "
      "local gone = 0 "
      "for _, d in ipairs(days) do "
      "gone = gone + redis.call('HLEN', KEYS[1] .. ':' .. d) "
      "redis.call('DEL', KEYS[1] .. ':' .. d) end "
      "redis.call('ZREMRANGEBYSCORE', KEYS[1] .. ':days', '-inf', '(' .. ARGV[1]) "
      "return gone");
  auto reply = redis_.Eval(*kDelete, key_, {absl::StrCat(day)});
  if (!reply.ok()) return Unavailable(reply.status());
  return static_cast<int64_t>((*reply)->integer);
}

// ------------------------------------------------------------- opening

absl::StatusOr<std::unique_ptr<OutcomeCounts>> OpenOutcomeCounts(
    const store::StoreConfig& config) {
  if (config.kind == "sqlite") {
    auto counts = SqliteOutcomeCounts::Open(config.sqlite_path, config.sqlite_synchronous_full);
    if (!counts.ok()) return counts.status();
    return std::unique_ptr<OutcomeCounts>(*std::move(counts));
  }
  if (config.kind == "redis") {
    auto address = RedisAddressOf(config);
    if (!address.ok()) return address.status();
    return std::unique_ptr<OutcomeCounts>(std::make_unique<RedisOutcomeCounts>(*address));
  }
  return std::unique_ptr<OutcomeCounts>(std::make_unique<MemoryOutcomeCounts>());
}

}  // namespace backchat::records
