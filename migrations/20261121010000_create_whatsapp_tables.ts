import type { Knex } from 'knex';

/** Same conventions as the chats migration: epoch-millisecond times, InnoDB utf8mb4_bin on MySQL. */
const onMysql = (knex: Knex, table: Knex.CreateTableBuilder): void => {
  if (knex.client.dialect !== 'mysql') return;
  table.engine('InnoDB');
  table.charset('utf8mb4');
  table.collate('utf8mb4_bin');
};

export async function up(knex: Knex): Promise<void> {
  // One row per message Twilio delivered: the primary key on MessageSid is what
  // makes a retried webhook a no-op, also across processes.
  await knex.schema.createTable('whatsapp_inbound_messages', (table) => {
    onMysql(knex, table);
    table.string('message_sid', 34).primary();
    table.string('user_id', 200).notNullable();
    table.bigInteger('received_at').notNullable();
    // How the answer went, for operators; null until it is known.
    table.string('chat_id', 36).nullable();
    table.string('reply_message_id', 36).nullable();
    table.string('delivery_status', 16).nullable();
    table.bigInteger('answered_at').nullable();
  });

  await knex.schema.createTable('whatsapp_users', (table) => {
    onMysql(knex, table);
    table.string('user_id', 200).primary();
    // A chat deleted elsewhere (GraphQL, gRPC) simply stops being current.
    table.string('current_chat_id', 36).nullable().references('id').inTable('chats').onDelete('SET NULL');
    table.string('persona_id', 64).nullable();
    table.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('whatsapp_users');
  await knex.schema.dropTable('whatsapp_inbound_messages');
}
