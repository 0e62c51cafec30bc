#include "service/records/record_stores.h"

#include <sqlite3.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/common/deferred_writes.h"
#include "service/common/log_line.h"

namespace backchat::records {

namespace {

absl::Status RecordNotFound(absl::string_view record_id) {
  return absl::NotFoundError(absl::StrCat("record_id: no record \"", record_id, "\""));
}

absl::Status QuestionnaireNotFound(absl::string_view key) {
  return absl::NotFoundError(absl::StrCat("no Questionnaire kept for ", key));
}

// Sets `check_in` on `record`, unless it has one.
absl::Status SetCheckIn(const triage::v1::CheckIn& check_in, TriageRecord* record) {
  if (record->has_check_in()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "check_in: record \"", check_in.record_id(), "\" has a check-in already"));
  }
  *record->mutable_check_in() = check_in;
  return absl::OkStatus();
}

}  // namespace

// ----------------------------------------------------------------- memory

absl::Status MemoryRecordStore::AddCheckIn(const triage::v1::CheckIn& check_in) {
  absl::MutexLock lock(&mu_);
  for (TriageRecord& record : records_) {
    if (record.record_id() == check_in.record_id()) return SetCheckIn(check_in, &record);
  }
  return RecordNotFound(check_in.record_id());
}

absl::Status MemoryRecordStore::Append(const TriageRecord& record) {
  absl::MutexLock lock(&mu_);
  records_.push_back(record);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<TriageRecord>> MemoryRecordStore::List(absl::Time since,
                                                                  size_t limit) {
  const int64_t from = absl::ToUnixMicros(since);
  absl::MutexLock lock(&mu_);
  std::vector<TriageRecord> out;
  for (const TriageRecord& record : records_) {
    if (limit != 0 && out.size() >= limit) break;
    if (record.finished_unix_micros() >= from) out.push_back(record);
  }
  return out;
}

absl::StatusOr<int64_t> MemoryRecordStore::DeleteFinishedBefore(absl::Time cutoff) {
  const int64_t before = absl::ToUnixMicros(cutoff);
  absl::MutexLock lock(&mu_);
  const size_t was = records_.size();
  records_.erase(std::remove_if(records_.begin(), records_.end(),
                                [&](const TriageRecord& r) {
                                  return r.finished_unix_micros() < before;
                                }),
                 records_.end());
  return static_cast<int64_t>(was - records_.size());
}

absl::Status MemoryRecordStore::Delete(absl::string_view record_id) {
  absl::MutexLock lock(&mu_);
  const auto it = std::find_if(records_.begin(), records_.end(), [&](const TriageRecord& r) {
    return r.record_id() == record_id;
  });
  if (it == records_.end()) return RecordNotFound(record_id);
  records_.erase(it);
  return absl::OkStatus();
}

absl::Status MemoryRecordStore::KeepQuestionnaire(absl::string_view key,
                                                absl::string_view json) {
  absl::MutexLock lock(&mu_);
  questionnaires_.try_emplace(key, json);
  return absl::OkStatus();
}

absl::StatusOr<std::string> MemoryRecordStore::FindQuestionnaire(absl::string_view key) {
  absl::MutexLock lock(&mu_);
  const auto it = questionnaires_.find(key);
  if (it == questionnaires_.end()) return QuestionnaireNotFound(key);
  return it->second;
}

// ----------------------------------------------------------------- SQLite

absl::StatusOr<std::unique_ptr<SqliteRecordStore>> SqliteRecordStore::Open(
    const std::string& path, bool synchronous_full) {
  auto database = store::SqliteDatabase::Shared(path, synchronous_full);
  if (!database.ok()) return database.status();
  std::unique_ptr<SqliteRecordStore> store(new SqliteRecordStore(*std::move(database)));
  absl::MutexLock lock(&store->mu_);
  if (sqlite3_exec(store->db_,
                   "CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, "
                   "finished_micros INTEGER NOT NULL, data BLOB NOT NULL);"
                   "CREATE INDEX IF NOT EXISTS records_by_finished ON records "
                   "(finished_micros);"
                   "CREATE TABLE IF NOT EXISTS questionnaires (key TEXT PRIMARY KEY, "
                   "json TEXT NOT NULL);",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    return store->Error("cannot open the records table");
  }
  return store;
}

SqliteRecordStore::~SqliteRecordStore() {
  database_->group_commit().Drain();  // appends under way use insert_
  absl::MutexLock lock(&mu_);
  sqlite3_finalize(insert_);
}

// A record's insert, saved with the sessions' writes of the same moment
// (see common/sqlite/group_commit.h).
class SqliteRecordStore::RecordWrite final : public store::SqliteWrite {
 public:
  RecordWrite(SqliteRecordStore* records, const TriageRecord& record)
      : SqliteWrite("record store", "cannot add a record"),
        records_(records),
        id_(record.record_id()),
        finished_micros_(record.finished_unix_micros()),
        data_(record.SerializeAsString()) {}

  bool Apply(sqlite3* db) override {
    records_->mu_.AssertHeld();
    sqlite3_stmt*& insert = records_->insert_;
    // Prepared once: one record per finished conversation.
    if (insert == nullptr &&
        sqlite3_prepare_v3(db, "INSERT INTO records (id, finished_micros, data) VALUES (?1, ?2, ?3)",
                           -1, SQLITE_PREPARE_PERSISTENT, &insert, nullptr) != SQLITE_OK) {
      return false;
    }
    sqlite3_bind_text(insert, 1, id_.data(), static_cast<int>(id_.size()), SQLITE_STATIC);
    sqlite3_bind_int64(insert, 2, finished_micros_);
    sqlite3_bind_blob(insert, 3, data_.data(), static_cast<int>(data_.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(insert);
    sqlite3_reset(insert);
    sqlite3_clear_bindings(insert);
    // A record id taken already (128 random bits) is this write's failure
    // alone; the rest of the batch is written.
    if (rc == SQLITE_CONSTRAINT) {
      Refuse(absl::AlreadyExistsError(absl::StrCat("record ", id_, " already exists")));
      return true;
    }
    return rc == SQLITE_DONE;
  }
  void Settle(const absl::Status&, bool) override {}

 private:
  SqliteRecordStore* const records_;
  const std::string id_;
  const int64_t finished_micros_;
  const std::string data_;
};

absl::Status SqliteRecordStore::Append(const TriageRecord& record) {
  return DeferredWrites::Await(
      database_->group_commit().Submit(std::make_unique<RecordWrite>(this, record)));
}

absl::StatusOr<std::vector<TriageRecord>> SqliteRecordStore::List(absl::Time since,
                                                                  size_t limit) {
  absl::MutexLock lock(&mu_);
  sqlite3_stmt* select = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT data FROM records WHERE finished_micros >= ?1 "
                              "ORDER BY finished_micros LIMIT ?2",
                         -1, &select, nullptr) != SQLITE_OK) {
    return Error("cannot list records");
  }
  sqlite3_bind_int64(select, 1, absl::ToUnixMicros(since));
  sqlite3_bind_int64(select, 2, limit == 0 ? -1 : static_cast<int64_t>(limit));
  std::vector<TriageRecord> out;
  int rc;
  while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
    TriageRecord record;
    record.ParseFromArray(sqlite3_column_blob(select, 0), sqlite3_column_bytes(select, 0));
    out.push_back(std::move(record));
  }
  sqlite3_finalize(select);
  if (rc != SQLITE_DONE) return Error("cannot list records");
  return out;
}

absl::StatusOr<int64_t> SqliteRecordStore::DeleteFinishedBefore(absl::Time cutoff) {
  absl::MutexLock lock(&mu_);
  sqlite3_stmt* remove = nullptr;
  if (sqlite3_prepare_v2(db_, "DELETE FROM records WHERE finished_micros < ?1", -1,
                         &remove, nullptr) != SQLITE_OK) {
    return Error("cannot delete records");
  }
  sqlite3_bind_int64(remove, 1, absl::ToUnixMicros(cutoff));
  const int rc = sqlite3_step(remove);
  sqlite3_finalize(remove);
  if (rc != SQLITE_DONE) return Error("cannot delete records");
  return static_cast<int64_t>(sqlite3_changes(db_));
}

absl::Status SqliteRecordStore::Delete(absl::string_view record_id) {
  absl::MutexLock lock(&mu_);
  sqlite3_stmt* remove = nullptr;
  if (sqlite3_prepare_v2(db_, "DELETE FROM records WHERE id = ?1", -1, &remove, nullptr) !=
      SQLITE_OK) {
    return Error("cannot delete a record");
  }
  sqlite3_bind_text(remove, 1, record_id.data(), static_cast<int>(record_id.size()),
                    SQLITE_TRANSIENT);
  const int rc = sqlite3_step(remove);
  sqlite3_finalize(remove);
  if (rc != SQLITE_DONE) return Error("cannot delete a record");
  if (sqlite3_changes(db_) == 0) return RecordNotFound(record_id);
  return absl::OkStatus();
}

absl::Status SqliteRecordStore::AddCheckIn(const triage::v1::CheckIn& check_in) {
  const std::string& id = check_in.record_id();
  absl::MutexLock lock(&mu_);
  // One connection under the database's mutex: nothing runs between the
  // read and the write.
  sqlite3_stmt* select = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT data FROM records WHERE id = ?1", -1, &select,
                         nullptr) != SQLITE_OK) {
    return Error("cannot read a record");
  }
  sqlite3_bind_text(select, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
  const int found = sqlite3_step(select);
  TriageRecord record;
  if (found == SQLITE_ROW) {
    record.ParseFromArray(sqlite3_column_blob(select, 0), sqlite3_column_bytes(select, 0));
  }
  sqlite3_finalize(select);
  if (found == SQLITE_DONE) return RecordNotFound(id);
  if (found != SQLITE_ROW) return Error("cannot read a record");
  if (absl::Status set = SetCheckIn(check_in, &record); !set.ok()) return set;
  const std::string data = record.SerializeAsString();
  sqlite3_stmt* update = nullptr;
  if (sqlite3_prepare_v2(db_, "UPDATE records SET data = ?2 WHERE id = ?1", -1, &update,
                         nullptr) != SQLITE_OK) {
    return Error("cannot keep a check-in");
  }
  sqlite3_bind_text(update, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
  sqlite3_bind_blob(update, 2, data.data(), static_cast<int>(data.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(update);
  sqlite3_finalize(update);
  if (rc != SQLITE_DONE) return Error("cannot keep a check-in");
  return absl::OkStatus();
}

absl::Status SqliteRecordStore::KeepQuestionnaire(absl::string_view key,
                                                absl::string_view json) {
  absl::MutexLock lock(&mu_);
  sqlite3_stmt* insert = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT OR IGNORE INTO questionnaires (key, json) VALUES (?1, ?2)",
                         -1, &insert, nullptr) != SQLITE_OK) {
    return Error("cannot keep a Questionnaire");
  }
  sqlite3_bind_text(insert, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  sqlite3_bind_text(insert, 2, json.data(), static_cast<int>(json.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(insert);
  sqlite3_finalize(insert);
  if (rc != SQLITE_DONE) return Error("cannot keep a Questionnaire");
  return absl::OkStatus();
}

absl::StatusOr<std::string> SqliteRecordStore::FindQuestionnaire(absl::string_view key) {
  absl::MutexLock lock(&mu_);
  sqlite3_stmt* select = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT json FROM questionnaires WHERE key = ?1", -1, &select,
                         nullptr) != SQLITE_OK) {
    return Error("cannot read a Questionnaire");
  }
  sqlite3_bind_text(select, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(select);
  std::string json;
  if (rc == SQLITE_ROW) {
    json.assign(reinterpret_cast<const char*>(sqlite3_column_text(select, 0)),
                sqlite3_column_bytes(select, 0));
  }
  sqlite3_finalize(select);
  if (rc == SQLITE_DONE) return QuestionnaireNotFound(key);
  if (rc != SQLITE_ROW) return Error("cannot read a Questionnaire");
  return json;
}

// ------------------------------------------------------------------ Redis

namespace {

absl::Status RecordAppended(const absl::StatusOr<store::RedisReply>& reply) {
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("record store: ", reply.status().message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RedisRecordStore::Append(const TriageRecord& record) {
  std::vector<std::string> command = {"ZADD", key_, absl::StrCat(record.finished_unix_micros()),
                                      record.SerializeAsString()};
  if (!DeferredWrites::Active()) return RecordAppended(redis_.Command(command));
  auto outcome = std::make_shared<WriteOutcome>();
  DeferredWrites::WhenKeptSaved(
      [this, outcome, command = std::move(command)](absl::Status saved) mutable {
        if (!saved.ok()) return outcome->Complete(std::move(saved));  // no answer, no record
        pipeline_.Submit(std::move(command), [outcome](absl::StatusOr<store::RedisReply> reply) {
          // As Conversations does with a record not written: logged, and
          // the answer, which is saved, is not failed.
          if (const absl::Status appended = RecordAppended(reply); !appended.ok()) {
            LogLine("backchat_server",
                    absl::StrCat("a triage record was not written: ", appended.ToString()));
          }
          outcome->Complete(absl::OkStatus());
        });
      });
  return DeferredWrites::Await(std::move(outcome));
}

absl::StatusOr<std::vector<TriageRecord>> RedisRecordStore::List(absl::Time since,
                                                                 size_t limit) {
  std::vector<std::string> command = {"ZRANGEBYSCORE", key_,
                                      absl::StrCat(absl::ToUnixMicros(since)), "+inf"};
  if (limit != 0) {
    command.insert(command.end(), {"LIMIT", "0", absl::StrCat(limit)});
  }
  auto reply = redis_.Command(command);
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("record store: ", reply.status().message()));
  }
  std::vector<TriageRecord> out;
  for (size_t i = 0; i < (*reply)->elements; ++i) {
    TriageRecord record;
    record.ParseFromArray((*reply)->element[i]->str,
                          static_cast<int>((*reply)->element[i]->len));
    out.push_back(std::move(record));
  }
  return out;
}

absl::StatusOr<int64_t> RedisRecordStore::DeleteFinishedBefore(absl::Time cutoff) {
  auto reply = redis_.Command({"ZREMRANGEBYSCORE", key_, "-inf",
                               absl::StrCat("(", absl::ToUnixMicros(cutoff))});
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("record store: ", reply.status().message()));
  }
  return static_cast<int64_t>((*reply)->integer);
}

absl::Status RedisRecordStore::Delete(absl::string_view record_id) {
  // Members are whole records: find the one with this id, then remove it.
  auto all = redis_.Command({"ZRANGE", key_, "0", "-1"});
  if (!all.ok()) {
    return absl::UnavailableError(absl::StrCat("record store: ", all.status().message()));
  }
  for (size_t i = 0; i < (*all)->elements; ++i) {
    const redisReply* member = (*all)->element[i];
    TriageRecord record;
    if (!record.ParseFromArray(member->str, static_cast<int>(member->len)) ||
        record.record_id() != record_id) {
      continue;
    }
    auto removed = redis_.Command({"ZREM", key_, std::string(member->str, member->len)});
    if (!removed.ok()) {
      return absl::UnavailableError(absl::StrCat("record store: ", removed.status().message()));
    }
    return absl::OkStatus();
  }
  return RecordNotFound(record_id);
}

absl::Status RedisRecordStore::AddCheckIn(const triage::v1::CheckIn& check_in) {
  // As Delete: find the member with this id; then, atomically and only if
  // it is still there, swap it for the record with its check-in.
  static const store::RedisScript* const kSwap = new store::RedisScript(
      "if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then "
      "redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3]) return 1 end return 0");
  auto all = redis_.Command({"ZRANGE", key_, "0", "-1"});
  if (!all.ok()) {
    return absl::UnavailableError(absl::StrCat("record store: ", all.status().message()));
  }
  for (size_t i = 0; i < (*all)->elements; ++i) {
    const redisReply* member = (*all)->element[i];
    TriageRecord record;
    if (!record.ParseFromArray(member->str, static_cast<int>(member->len)) ||
        record.record_id() != check_in.record_id()) {
      continue;
    }
    if (absl::Status set = SetCheckIn(check_in, &record); !set.ok()) return set;
    auto swapped = redis_.Eval(*kSwap, key_,
                               {std::string(member->str, member->len),
                                absl::StrCat(record.finished_unix_micros()),
                                record.SerializeAsString()});
    if (!swapped.ok()) {
      return absl::UnavailableError(absl::StrCat("record store: ", swapped.status().message()));
    }
    if ((*swapped)->integer != 1) {
      return absl::AbortedError("record store: the record changed meanwhile; try again");
    }
    return absl::OkStatus();
  }
  return RecordNotFound(check_in.record_id());
}

absl::Status RedisRecordStore::KeepQuestionnaire(absl::string_view key,
                                               absl::string_view json) {
  auto reply = redis_.Command({"HSETNX", absl::StrCat(key_, ":questionnaires"),
                               std::string(key), std::string(json)});
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("record store: ", reply.status().message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RedisRecordStore::FindQuestionnaire(absl::string_view key) {
  auto reply = redis_.Command({"HGET", absl::StrCat(key_, ":questionnaires"), std::string(key)});
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("record store: ", reply.status().message()));
  }
  if ((*reply)->type != REDIS_REPLY_STRING) return QuestionnaireNotFound(key);
  return std::string((*reply)->str, (*reply)->len);
}

// ------------------------------------------------------------- opening

absl::StatusOr<store::RedisAddress> RedisAddressOf(const store::StoreConfig& config) {
  store::RedisAddress address;
  const size_t colon = config.redis_address.rfind(':');
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(config.redis_address.substr(colon + 1), &address.port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--redis_address=", config.redis_address, " is not host:port"));
  }
  address.host = config.redis_address.substr(0, colon);
  address.database = config.redis_database;
  return address;
}

absl::StatusOr<std::unique_ptr<RecordStore>> OpenRecordStore(
    const store::StoreConfig& config) {
  if (config.kind == "sqlite") {
    auto records =
        SqliteRecordStore::Open(config.sqlite_path, config.sqlite_synchronous_full);
    if (!records.ok()) return records.status();
    return std::unique_ptr<RecordStore>(*std::move(records));
  }
  if (config.kind == "redis") {
    auto address = RedisAddressOf(config);
    if (!address.ok()) return address.status();
    return std::unique_ptr<RecordStore>(std::make_unique<RedisRecordStore>(*address));
  }
  return std::unique_ptr<RecordStore>(std::make_unique<MemoryRecordStore>());
}

// ----------------------------------------------------------- retention

RecordRetention::RecordRetention(RecordStore* records, absl::Duration keep,
                                 absl::Duration every, OutcomeCounts* counts)
    : records_(records),
      counts_(counts),
      keep_(keep),
      every_(every),
      thread_([this] { Loop(); }) {}

RecordRetention::~RecordRetention() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void RecordRetention::Loop() {
  while (true) {
    auto deleted = records_->DeleteFinishedBefore(absl::Now() - keep_);
    if (!deleted.ok()) {
      LogLine("backchat_server", absl::StrCat("record retention: ", deleted.status().ToString()));
    } else if (*deleted > 0) {
      LogLine("backchat_server", absl::StrCat("record retention deleted ", *deleted, " records"));
    }
    if (counts_ != nullptr) {
      // Whole days only: a day's counts go once all of it is older than `keep`.
      auto gone = counts_->DeleteDaysBefore(DayOf(absl::Now() - keep_));
      if (!gone.ok()) {
        LogLine("backchat_server", absl::StrCat("record retention: ", gone.status().ToString()));
      }
    }
    absl::MutexLock lock(&mu_);
    auto stop = [this]() -> bool {
      mu_.AssertHeld();
      return stopping_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&stop), every_);
    if (stopping_) return;
  }
}

}  // namespace backchat::records
